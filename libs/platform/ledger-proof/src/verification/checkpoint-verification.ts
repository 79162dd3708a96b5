import { type Checkpoint, parseCheckpoint } from '../checkpoint/checkpoint';
import { describeKey, openNote, parseSignedNote, type SignedNote } from '../checkpoint/signed-note';
import { LedgerError } from '../ledger.error';
import type { CheckpointTrustPolicy } from './checkpoint-trust-policy';
import type { VerificationFinding } from './verification-finding';

export interface CheckpointVerification {
  /** Present only when the note raised no error. */
  readonly checkpoint: Checkpoint | undefined;
  readonly findings: readonly VerificationFinding[];
}

function reason(error: unknown): string {
  return error instanceof LedgerError ? error.message : String(error);
}

/** Verifies a checkpoint note against the policy: signatures, witnesses, format and origin. */
export function verifyCheckpointNote(
  note: string,
  policy: CheckpointTrustPolicy,
  label = 'checkpoint',
): CheckpointVerification {
  const findings: VerificationFinding[] = [];
  const error = (code: VerificationFinding['code'], message: string, keyName?: string): void => {
    findings.push({ severity: 'error', code, message, checkpoint: label, ...(keyName ? { keyName } : {}) });
  };

  let signed: SignedNote;
  try {
    signed = parseSignedNote(note);
  } catch (e: unknown) {
    error('NOTE_MALFORMED', reason(e));
    return { checkpoint: undefined, findings };
  }

  const witnessKeys = policy.witnessKeys ?? [];
  const opened = openNote(signed, [...policy.logKeys, ...witnessKeys]);
  for (const key of opened.failed) {
    error(
      'SIGNATURE_INVALID',
      `the signature of trusted key ${describeKey(key)} does not verify`,
      key.keyName,
    );
  }
  for (const signature of opened.unknown) {
    findings.push({
      severity: 'info',
      code: 'UNKNOWN_SIGNATURE_IGNORED',
      message: `ignored a signature by ${describeKey(signature)}, which is not trusted`,
      checkpoint: label,
      keyName: signature.keyName,
    });
  }
  const byLog = opened.verifiedBy.filter((key) => policy.logKeys.includes(key));
  if (byLog.length === 0) {
    const signers = signed.signatures.map(describeKey).join(', ');
    error('NO_TRUSTED_SIGNATURE', `no trusted log key signed this checkpoint (signed by ${signers})`);
  }
  const quorum = policy.witnessQuorum ?? 0;
  const byWitnesses = opened.verifiedBy.filter((key) => witnessKeys.includes(key)).length;
  if (byWitnesses < quorum) {
    error('WITNESS_QUORUM_NOT_MET', `${byWitnesses} of the ${quorum} required witnesses co-signed`);
  }

  let checkpoint: Checkpoint | undefined;
  try {
    checkpoint = parseCheckpoint(signed.text);
  } catch (e: unknown) {
    error('CHECKPOINT_MALFORMED', reason(e));
  }
  if (checkpoint !== undefined && checkpoint.origin !== policy.origin) {
    error('ORIGIN_MISMATCH', `the checkpoint is for log "${checkpoint.origin}", not "${policy.origin}"`);
  }
  const clean = !findings.some((f) => f.severity === 'error');
  return { checkpoint: clean ? checkpoint : undefined, findings };
}
