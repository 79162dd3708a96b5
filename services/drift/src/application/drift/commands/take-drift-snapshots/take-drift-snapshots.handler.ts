import { coveragePct, ragOf, snapshotScopes } from '../../../../domain/drift/drift-report';
import type { DriftReadModel, DriftSnapshotRecord } from '../../ports/drift-read-model.port';

export const SNAPSHOT_EVERY_MS = 3_600_000;

/**
 * Records each scope of an organisation's fleet when its coverage changed since its last snapshot, and
 * every hour regardless, so trends have both the moments of change and a steady baseline; `prune`
 * drops snapshots past retention.
 */
export class TakeDriftSnapshotsHandler {
  constructor(
    private readonly newId: () => string,
    private readonly retentionMs: number,
  ) {}

  async execute(
    readModel: DriftReadModel,
    organisation: string,
    now: number,
  ): Promise<DriftSnapshotRecord[]> {
    const scopes = snapshotScopes(await readModel.counters(organisation, {}));
    const latest = await readModel.latestSnapshots(organisation);
    const taken: DriftSnapshotRecord[] = [];
    const record = (scopeId: string, total: number, compliant: number, outdated: number, stopped: number) => {
      const previous = latest.get(scopeId);
      const unchanged =
        previous !== undefined &&
        previous.total === total &&
        previous.compliant === compliant &&
        previous.outdated === outdated &&
        previous.stopped === stopped;
      if (unchanged && previous.takenAt > now - SNAPSHOT_EVERY_MS) return;
      const coverage = coveragePct(compliant, total);
      taken.push({
        snapshotId: this.newId(),
        organisation,
        scopeId,
        takenAt: now,
        total,
        compliant,
        outdated,
        stopped,
        coveragePct: coverage,
        rag: ragOf(coverage),
      });
    };
    for (const [scopeId, { counts }] of scopes) {
      record(scopeId, counts.total, counts.compliant, counts.outdated, counts.stopped.total);
    }
    // A scope whose assets all left: one last snapshot at zero, then nothing until it reappears.
    for (const [scopeId, previous] of latest) {
      if (!scopes.has(scopeId) && previous.total > 0) record(scopeId, 0, 0, 0, 0);
    }
    await readModel.saveSnapshots(taken);
    return taken;
  }

  /** Drops every organisation's snapshots older than the retention. */
  prune(readModel: DriftReadModel, now: number): Promise<number> {
    return readModel.deleteSnapshotsBefore(now - this.retentionMs);
  }
}
