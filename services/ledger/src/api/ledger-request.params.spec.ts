import { LedgerError } from '@rf/platform-ledger-proof';
import {
  AuditBundleQuery,
  ConsistencyProofQuery,
  EntryParams,
  InclusionProofQuery,
  parseRequest,
} from './ledger-request.params';

function problem(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error: unknown) {
    if (!(error instanceof LedgerError)) throw error;
    expect(error).toMatchObject({ code: 'LEDGER.INVALID_REQUEST', kind: 'invalid' });
    return error.message;
  }
}

const HASH = 'ab'.repeat(32);

describe('ledger request parameters', () => {
  it('reads indexes and tree sizes as non-negative safe integers', () => {
    expect(parseRequest(EntryParams, { index: '0' })).toEqual({ index: 0 });
    expect(parseRequest(EntryParams, { index: '9007199254740991' })).toEqual({ index: 9007199254740991 });
    for (const index of ['-1', '1.5', '01', 'abc', '', '9007199254740992', ['1', '2']]) {
      expect(problem(() => parseRequest(EntryParams, { index }))).toMatch(/^Invalid request: index: /);
    }
  });

  it('reads a leaf hash in hex or base64', () => {
    const hex = parseRequest(InclusionProofQuery, { leaf_hash: HASH, tree_size: '7' });
    expect(hex).toEqual({ leaf_hash: Buffer.from(HASH, 'hex'), tree_size: 7 });
    const base64 = Buffer.from(HASH, 'hex').toString('base64');
    expect(parseRequest(InclusionProofQuery, { leaf_hash: base64 }).leaf_hash.toString('hex')).toBe(HASH);
    for (const leafHash of ['AB'.repeat(32), 'ab'.repeat(31), 'YWJj', undefined]) {
      expect(problem(() => parseRequest(InclusionProofQuery, { leaf_hash: leafHash }))).toMatch(/leaf_hash/);
    }
  });

  it('reads consistency sizes, the second optional', () => {
    expect(parseRequest(ConsistencyProofQuery, { first: '3' })).toEqual({ first: 3 });
    expect(parseRequest(ConsistencyProofQuery, { first: '3', second: '8' })).toEqual({ first: 3, second: 8 });
    expect(problem(() => parseRequest(ConsistencyProofQuery, {}))).toMatch(/first/);
  });

  it('reads an audit bundle range and the sizes the auditor trusts', () => {
    expect(parseRequest(AuditBundleQuery, {})).toEqual({ from: 0 });
    expect(parseRequest(AuditBundleQuery, { from: '2', to: '9', trusted: '3,7' })).toEqual({
      from: 2,
      to: 9,
      trusted: [3, 7],
    });
    expect(problem(() => parseRequest(AuditBundleQuery, { from: '9', to: '2' }))).toMatch(
      /to: must not be below from/,
    );
    expect(problem(() => parseRequest(AuditBundleQuery, { trusted: '3,,7' }))).toMatch(/trusted/);
  });

  it('refuses parameters it does not know, naming them', () => {
    expect(problem(() => parseRequest(AuditBundleQuery, { form: '1' }))).toMatch(/unknown parameter form/);
    expect(problem(() => parseRequest(ConsistencyProofQuery, { first: '1', secnd: '2' }))).toMatch(/secnd/);
  });
});
