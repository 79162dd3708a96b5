import type { AppliedException, PolicyResult } from './policy-decision.types';
import { PolicyError } from './policy.error';

/** A policy's `decision`, checked. */
export interface PolicyVerdict {
  readonly result: PolicyResult;
  readonly reasons: readonly string[];
  readonly exception?: AppliedException;
}

const RESULTS: ReadonlySet<string> = new Set<PolicyResult>(['allow', 'deny', 'needs_approval']);
const MAX_REASON_LENGTH = 1000;
const MAX_TICKET_LENGTH = 128;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Reads what a `decision` entrypoint returned: `{allow, reasons, result?, exception?}`. Anything
 * else, including an allow that contradicts its result, is malformed and so a deny upstream.
 */
export function parsePolicyVerdict(raw: unknown, entrypoint: string): PolicyVerdict {
  const fail = (problem: string) =>
    new PolicyError('POLICY.RESULT_MALFORMED', `${entrypoint} returned ${problem}`, {
      metadata: { entrypoint },
    });
  if (raw === undefined) throw fail('no decision (undefined for this input)');
  if (!isRecord(raw)) throw fail('a decision that is not an object');
  const { allow, reasons, result, exception } = raw;
  if (typeof allow !== 'boolean') throw fail('a decision without a boolean allow');
  if (!Array.isArray(reasons) || !reasons.every((r): r is string => typeof r === 'string' && r.length > 0)) {
    throw fail('reasons that are not a list of non-empty strings');
  }
  const resolved = result ?? (allow ? 'allow' : 'deny');
  if (typeof resolved !== 'string' || !RESULTS.has(resolved))
    throw fail(`an unknown result ${JSON.stringify(resolved)}`);
  if (allow !== (resolved === 'allow')) throw fail(`allow=${String(allow)} with result ${resolved}`);
  return {
    result: resolved as PolicyResult,
    reasons: reasons.map((r) => (r.length > MAX_REASON_LENGTH ? `${r.slice(0, MAX_REASON_LENGTH - 1)}…` : r)),
    ...(exception === undefined ? {} : { exception: parseException(exception, fail) }),
  };
}

function parseException(value: unknown, fail: (problem: string) => PolicyError): AppliedException {
  if (
    !isRecord(value) ||
    typeof value['ticket'] !== 'string' ||
    value['ticket'].length === 0 ||
    value['ticket'].length > MAX_TICKET_LENGTH ||
    typeof value['expiresAt'] !== 'string' ||
    !RFC3339.test(value['expiresAt'])
  ) {
    throw fail('an exception without a ticket and an RFC 3339 expiresAt');
  }
  return { ticket: value['ticket'], expiresAt: value['expiresAt'] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
