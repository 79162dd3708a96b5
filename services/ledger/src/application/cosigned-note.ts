import { formatSignedNote, type NoteSignature, parseSignedNote } from '@rf/platform-ledger-proof';

/**
 * The log's note with the witnesses' co-signatures after its own, each key once. A verifier that does
 * not know a witness ignores its line (C2SP signed-note), so a co-signed note serves every reader.
 */
export function withCosignatures(note: string, cosignatures: readonly NoteSignature[]): string {
  if (cosignatures.length === 0) return note;
  const signed = parseSignedNote(note);
  const seen = new Set(signed.signatures.map((s) => `${s.keyName}+${s.keyId}`));
  const added = cosignatures.filter((s) => {
    const key = `${s.keyName}+${s.keyId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return formatSignedNote({ text: signed.text, signatures: [...signed.signatures, ...added] });
}
