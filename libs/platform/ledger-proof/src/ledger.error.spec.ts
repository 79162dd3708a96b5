import { AppError } from '@rf/platform-errors';
import { LedgerError } from './ledger.error';

describe('LedgerError', () => {
  it('is an AppError with a kind per code, not retriable unless said so', () => {
    const error = new LedgerError('LEDGER.ENTRY_NOT_FOUND', 'No such entry', { metadata: { index: 3 } });
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      name: 'LedgerError',
      kind: 'not_found',
      retriable: false,
      metadata: { index: 3 },
    });
    expect(new LedgerError('LEDGER.INVALID_TREE_RANGE', 'x').kind).toBe('invalid');
    expect(new LedgerError('LEDGER.STORAGE_CORRUPT', 'x').kind).toBe('internal');
    const pending = new LedgerError('LEDGER.ENTRY_NOT_YET_CHECKPOINTED', 'x', { retriable: true });
    expect(pending).toMatchObject({ kind: 'conflict', retriable: true });
  });
});
