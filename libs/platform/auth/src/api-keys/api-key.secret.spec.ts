import { hashSecret, mintApiKey, parseApiKey, secretMatches } from './api-key.secret';

describe('API key secrets', () => {
  it('mints keys whose plaintext parses back to the id and checks against the stored hash only', () => {
    const minted = mintApiKey();
    const parsed = parseApiKey(minted.plaintext);
    expect(parsed?.keyId).toBe(minted.keyId);
    expect(minted.plaintext).not.toContain(minted.hash.toString('hex'));
    expect(secretMatches(minted.salt, parsed?.secret ?? '', minted.hash)).toBe(true);
    const secret = parsed?.secret ?? '';
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(secretMatches(minted.salt, flipped, minted.hash)).toBe(false);
  });

  it('salts: the same secret hashes differently under another salt', () => {
    const a = mintApiKey();
    const b = mintApiKey();
    expect(a.keyId).not.toBe(b.keyId);
    expect(hashSecret(a.salt, 'x').equals(hashSecret(b.salt, 'x'))).toBe(false);
  });

  it.each([
    '',
    'rfk_',
    'rfk_0123456789abcdef_short',
    `rfk_XYZ3456789abcdef_${'a'.repeat(43)}`,
    `Bearer rfk_0123456789abcdef_${'a'.repeat(43)}`,
  ])('does not parse %p', (text) => {
    expect(parseApiKey(text)).toBeUndefined();
  });
});
