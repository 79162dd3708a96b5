import { Ed25519NoteSigner } from './ed25519-note.signer';
import { Ed25519NoteVerifier } from './ed25519-note.verifier';
import { noteKeyId, SIGNATURE_TYPE_ED25519 } from './note-key';
import { formatSignedNote, openNote, parseSignedNote, signNote } from './signed-note';

// The example key pair and note of the Go reference implementation (golang.org/x/mod/sumdb/note).
const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

describe('C2SP signed notes', () => {
  const signer = Ed25519NoteSigner.fromSkey(SKEY);
  const verifier = Ed25519NoteVerifier.fromVkey(VKEY);

  it('derives key IDs and key encodings exactly as the reference implementation', () => {
    expect(signer.toSkey()).toBe(SKEY);
    expect(signer.verifier.toVkey()).toBe(VKEY);
    expect(verifier.keyId).toBe(0xc74f20a3);
    expect(noteKeyId('PeterNeumann', SIGNATURE_TYPE_ED25519, verifier.publicKey)).toBe(0xc74f20a3);
  });

  it('signs the reference note byte for byte and verifies it', () => {
    expect(formatSignedNote(signNote(TEXT, [signer]))).toBe(NOTE);
    const opened = openNote(parseSignedNote(NOTE), [verifier]);
    expect(opened.text).toBe(TEXT);
    expect(opened.verifiedBy).toEqual([verifier]);
    expect(opened.failed).toEqual([]);
  });

  it('fails a known key whose signature does not match the text', () => {
    const altered = parseSignedNote(NOTE.replace('cryptography', 'cryptographY'));
    const opened = openNote(altered, [verifier]);
    expect(opened.verifiedBy).toEqual([]);
    expect(opened.failed).toEqual([verifier]);
  });

  it('ignores signatures whose key name or ID is unknown', () => {
    const other = Ed25519NoteSigner.generate('PeterNeumann');
    const stranger = Ed25519NoteSigner.generate('someone.example/else');
    const note = parseSignedNote(formatSignedNote(signNote(TEXT, [other, stranger, signer])));
    const opened = openNote(note, [verifier]);
    expect(opened.verifiedBy).toEqual([verifier]);
    expect(opened.unknown.map((s) => s.keyName)).toEqual(['PeterNeumann', 'someone.example/else']);
  });

  it('keeps the text separated from signatures by the last blank line', () => {
    const text = 'first paragraph\n\nsecond paragraph\n';
    const note = formatSignedNote(signNote(text, [signer]));
    expect(parseSignedNote(note).text).toBe(text);
    expect(openNote(parseSignedNote(note), [verifier]).verifiedBy).toHaveLength(1);
  });

  it.each([
    ['no blank line', `${TEXT}— PeterNeumann x08go/ZJk=\n`],
    ['no final newline', NOTE.slice(0, -1)],
    ['a bad signature line', `${TEXT}\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8=\n`],
    ['a short signature', `${TEXT}\n— PeterNeumann AAAA\n`],
    ['non-canonical base64', NOTE.replace('JnAM=', 'JnAN=')],
    ['a control character', NOTE.replace('If you', 'If\tyou')],
    ['no signatures', `${TEXT}\n\n`],
  ])('refuses a note with %s', (_, note) => {
    expect(() => parseSignedNote(note)).toThrow('Malformed signed note');
  });

  it.each([
    ['a wrong key hash', 'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['an unknown algorithm', 'PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['a truncated key', 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy'],
    ['a missing part', 'PeterNeumann+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['a space in the name', 'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
  ])('refuses a vkey with %s', (_, vkey) => {
    expect(() => Ed25519NoteVerifier.fromVkey(vkey)).toThrow('Malformed');
  });

  it('refuses a malformed skey', () => {
    expect(() => Ed25519NoteSigner.fromSkey(SKEY.replace('c74f20a3', 'c74f20a4'))).toThrow('key hash');
    expect(() => Ed25519NoteSigner.fromSkey(SKEY.replace('PRIVATE+', ''))).toThrow('expected PRIVATE+KEY');
  });

  it('round-trips generated keys through their text forms', () => {
    const generated = Ed25519NoteSigner.generate('ledger.resiliencefabric.io/evidence');
    const again = Ed25519NoteSigner.fromSkey(generated.toSkey());
    expect(again.verifier.toVkey()).toBe(generated.verifier.toVkey());
    const check = Ed25519NoteVerifier.fromVkey(generated.verifier.toVkey());
    expect(check.verify(Buffer.from('x'), generated.sign(Buffer.from('x')))).toBe(true);
    expect(check.verify(Buffer.from('y'), generated.sign(Buffer.from('x')))).toBe(false);
  });
});
