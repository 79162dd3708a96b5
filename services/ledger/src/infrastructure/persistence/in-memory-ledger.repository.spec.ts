import { InMemoryLedgerRepository } from './in-memory-ledger.repository';
import { describeLedgerRepositoryContract } from './jest/ledger-repository.contract';

describeLedgerRepositoryContract('InMemoryLedgerRepository', () =>
  Promise.resolve({ repository: new InMemoryLedgerRepository(), close: () => Promise.resolve() }),
);
