import { DEFAULT_COMPLIANCE_THRESHOLDS } from '../../domain/scoring/compliance-thresholds';
import type { ComplianceStore, EvidenceLink, StoredScore } from '../ports/compliance.store.port';
import { MAX_EVIDENCE_PER_CONTROL_IN_EVENT, ScoreRecorder } from './score-recorder';

/** Only the three calls the recorder makes; anything else fails the test. */
function storeWith(links: Map<string, EvidenceLink>) {
  const saved: StoredScore[] = [];
  const calls = {
    latestScore: () => Promise.resolve(undefined),
    saveScore: (score: StoredScore) => {
      saved.push(score);
      return Promise.resolve();
    },
    evidenceLinks: (ids: readonly string[]) =>
      Promise.resolve(new Map(ids.flatMap((id) => (links.has(id) ? [[id, links.get(id)!] as const] : [])))),
  };
  const store = new Proxy(calls, {
    get(target, name: string) {
      if (name in target) return target[name as keyof typeof target];
      throw new Error(`unexpected store call ${name}`);
    },
  }) as unknown as ComplianceStore;
  return { store, saved };
}

describe('ScoreRecorder', () => {
  it('announces the most recent ledger references of a control and stores all of them', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => `event-${i}`);
    const links = new Map(
      ids.map((id, i): [string, EvidenceLink] => [
        id,
        { eventId: id, index: i * 2, leafHash: i.toString(16).padStart(64, '0') },
      ]),
    );
    links.delete('event-499'); // not in the ledger yet
    const { store, saved } = storeWith(links);
    const event = await new ScoreRecorder(store, DEFAULT_COMPLIANCE_THRESHOLDS).record(
      'organisation',
      'org-1',
      0.9,
      [{ controlId: 'rf:image-signed', weight: 1, status: 'pass', reason: 'signed', evidenceEventIds: ids }],
      new Date('2025-11-22T10:00:00Z'),
    );
    const evidence = event?.controls[0]?.evidence ?? [];
    expect(evidence).toHaveLength(MAX_EVIDENCE_PER_CONTROL_IN_EVENT);
    expect(evidence[0]).toEqual({ index: 996, leafHash: (498).toString(16).padStart(64, '0') });
    expect(evidence.map((e) => e.index)).toEqual([...evidence.map((e) => e.index)].sort((a, b) => b - a));
    expect(saved[0]?.controls[0]?.evidenceEventIds).toHaveLength(500);
  });
});
