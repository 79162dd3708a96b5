import type { SubjectKind } from '../../ports/compliance.store.port';

/** A subject's latest score with each control's reason and the ledger entries that are its evidence. */
export class ExplainScoreQuery {
  constructor(
    readonly subjectKind: SubjectKind,
    readonly subjectId: string,
  ) {}
}
