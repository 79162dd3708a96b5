import { formatCredentialReference, parseCredentialReference } from './credential-reference.value-object';

describe('credential references', () => {
  it.each([
    ['env:AWS_SECRET_ACCESS_KEY', { scheme: 'env', locator: 'AWS_SECRET_ACCESS_KEY' }],
    ['file:/run/secrets/vcenter', { scheme: 'file', locator: '/run/secrets/vcenter' }],
  ])('accepts %s', (text, expected) => {
    const ref = parseCredentialReference(text);
    expect(ref).toEqual(expected);
    expect(formatCredentialReference(ref!)).toBe(text);
  });

  it.each([
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'env:',
    'env:1BAD',
    'env:HAS SPACE',
    'file:relative/path',
    'vault:kv/inventory/azure#client_secret',
    'https://vault.example/secret',
  ])('refuses %s', (text) => {
    expect(parseCredentialReference(text)).toBeUndefined();
  });
});
