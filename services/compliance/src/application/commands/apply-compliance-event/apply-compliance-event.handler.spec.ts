import type { EventDataByType } from '@rf/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_COMPLIANCE_THRESHOLDS } from '../../../domain/scoring/compliance-thresholds';
import { InMemoryComplianceTenants } from '../../../infrastructure/persistence/in-memory-compliance.tenants';
import type { ComplianceInputEventType } from '../../compliance-event-types';
import { ScoreAggregatesHandler } from '../score-aggregates/score-aggregates.handler';
import { ApplyComplianceEventCommand, type ComplianceInputEvent } from './apply-compliance-event.command';
import { ApplyComplianceEventHandler } from './apply-compliance-event.handler';

const NOW = new Date('2026-11-22T12:00:00Z');
const clock = { now: () => NOW };
const T = 'io.resiliencefabric.';

function example<K extends ComplianceInputEventType>(type: K): EventDataByType[K] {
  const name = type.slice(T.length).replace(/\.v1$/, '');
  return JSON.parse(
    readFileSync(
      join(__dirname, `../../../../../../contracts/events/examples/${name}.v1.valid.json`),
      'utf8',
    ),
  ) as EventDataByType[K];
}

let seq = 0;
function event<K extends ComplianceInputEventType>(
  type: K,
  data: Partial<EventDataByType[K]> = {},
): ApplyComplianceEventCommand {
  seq += 1;
  const input = { id: `ev-${seq}`, type, time: NOW.toISOString(), data: { ...example(type), ...data } };
  return new ApplyComplianceEventCommand(input as unknown as ComplianceInputEvent);
}

function setUp() {
  const tenants = new InMemoryComplianceTenants();
  const store = tenants.forOrganisation('org');
  const apply = new ApplyComplianceEventHandler(store, DEFAULT_COMPLIANCE_THRESHOLDS, clock);
  const aggregate = new ScoreAggregatesHandler(tenants, DEFAULT_COMPLIANCE_THRESHOLDS, clock);
  /** The handler of another organisation's events. */
  const applyIn = (organisation: string) =>
    new ApplyComplianceEventHandler(
      tenants.forOrganisation(organisation),
      DEFAULT_COMPLIANCE_THRESHOLDS,
      clock,
    );
  return { tenants, store, apply, aggregate, applyIn };
}

const recent = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

describe('ApplyComplianceEvent and ScoreAggregates', () => {
  it('scores an asset as its facts arrive, and announces only changes', async () => {
    const { apply, store } = setUp();
    // An unregistered image fails every image control; patch latency still passes (no drift, not revoked).
    expect(
      await apply.execute(
        event(`${T}asset.discovered.v1`, {
          assetId: 'a',
          environment: 'prod',
          imageRef: 'ami-1',
          lastSeenAt: recent(1),
        }),
      ),
    ).toMatchObject([{ subjectKind: 'asset', subjectId: 'a', score: 0.1, badge: 'non_compliant' }]);

    const published = await apply.execute(
      event(`${T}image.published.v1`, {
        imageVersionId: 'img-1',
        artifacts: [{ platform: 'aws', imageRef: 'ami-1' }],
        attestations: { cisLevel: 1, slsaBuildLevel: 3 },
      }),
    );
    // Image controls pass now (0.2 + 0.1 + 0.15 + 0.1 + patch 0.1); coverage, backups and drills fail.
    expect(published).toMatchObject([{ subjectId: 'a', score: 0.65, previousScore: 0.1 }]);

    // Nothing changed for the asset: no new score, no event.
    expect(
      await apply.execute(
        event(`${T}asset.updated.v1`, {
          assetId: 'a',
          environment: 'prod',
          imageRef: 'ami-1',
          lastSeenAt: recent(0.5),
        }),
      ),
    ).toEqual([]);
    expect(store.scores.filter((s) => s.subjectId === 'a')).toHaveLength(2);
  });

  it('ignores an older asset observation arriving late, and narrower drift snapshots', async () => {
    const { apply, store } = setUp();
    await apply.execute(
      event(`${T}asset.discovered.v1`, {
        assetId: 'a',
        environment: 'prod',
        imageRef: null as never,
        lastSeenAt: recent(0),
      }),
    );
    expect(
      await apply.execute(
        event(`${T}asset.updated.v1`, {
          assetId: 'a',
          environment: 'dev',
          state: 'terminated',
          lastSeenAt: recent(3),
        }),
      ),
    ).toEqual([]);
    expect((await store.assetFacts({ assetIds: ['a'] }))[0]).toMatchObject({
      environment: 'prod',
      state: 'running',
    });
    expect(
      await apply.execute(
        event(`${T}drift.snapshot.v1`, {
          scopeId: 'environment:prod/platform:aws',
          scope: { environment: 'prod', platform: 'aws' },
        }),
      ),
    ).toEqual([]);
    expect((await store.assetFacts({ assetIds: ['a'] }))[0]?.coverage).toBeNull();
  });

  it('aggregates environments and the organisation once per round, leaving terminated assets out', async () => {
    const { apply, aggregate, store } = setUp();
    await apply.execute(event(`${T}backup.completed.v1`, { completedAt: recent(1) }));
    await apply.execute(event(`${T}restore.completed.v1`, { completedAt: recent(1), verified: true }));
    await apply.execute(event(`${T}drill.completed.v1`, { completedAt: recent(10), passed: true }));
    await apply.execute(
      event(`${T}drift.snapshot.v1`, {
        scopeId: 'environment:prod',
        scope: { environment: 'prod' },
        coveragePct: 95,
        takenAt: recent(0),
      }),
    );
    // Two assets with no golden image: only coverage and recovery apply, and pass.
    for (const id of ['a', 'b']) {
      await apply.execute(
        event(`${T}asset.discovered.v1`, {
          assetId: id,
          environment: 'prod',
          imageRef: undefined,
          lastSeenAt: recent(1),
        }),
      );
    }
    // C runs an unregistered image: 1 − 0.2 − 0.1 − 0.15 − 0.1 = 0.45.
    const c = await apply.execute(
      event(`${T}asset.discovered.v1`, {
        assetId: 'c',
        environment: 'prod',
        imageRef: 'ami-x',
        lastSeenAt: recent(1),
      }),
    );
    expect(c.map((s) => s.score)).toEqual([0.45]);

    const round = await aggregate.execute();
    expect(round.map(({ data: s }) => [s.subjectKind, s.subjectId])).toEqual([
      ['environment', 'prod'],
      ['organisation', 'org'],
    ]);
    // Pooled: (0.35 + 0.35 + 0.45 of 1) / (0.35 + 0.35 + 1) = 1.15 / 1.7.
    expect(round[0]?.data.score).toBeCloseTo(1.15 / 1.7, 6);
    expect(round.map((s) => s.organisation)).toEqual(['org', 'org']);
    expect(await aggregate.execute()).toEqual([]);

    await apply.execute(
      event(`${T}asset.updated.v1`, {
        assetId: 'c',
        environment: 'prod',
        imageRef: 'ami-x',
        state: 'terminated',
        lastSeenAt: recent(0),
      }),
    );
    const after = await aggregate.execute();
    expect(after.map(({ data: s }) => [s.subjectId, s.score])).toEqual([
      ['prod', 1],
      ['org', 1],
    ]);
    expect(store.scores.filter((s) => s.subjectId === 'c')).toHaveLength(1);
  });

  it('links evidence from evidence.appended into the next announcement', async () => {
    const { apply } = setUp();
    const drill = event(`${T}drill.completed.v1`, { completedAt: recent(1), passed: true });
    await apply.execute(drill);
    await apply.execute(
      event(`${T}evidence.appended.v1`, {
        index: 42,
        leafHash: 'c'.repeat(64),
        sourceEventId: drill.event.id,
      }),
    );
    const [scored] = await apply.execute(
      event(`${T}asset.discovered.v1`, {
        assetId: 'a',
        environment: 'prod',
        imageRef: undefined,
        lastSeenAt: recent(0),
      }),
    );
    expect(scored?.controls.find((x) => x.controlId === 'rf:dr-drill-passed')).toEqual({
      controlId: 'rf:dr-drill-passed',
      weight: 0.1,
      status: 'pass',
      evidence: [{ index: 42, leafHash: 'c'.repeat(64) }],
    });
  });

  it('keeps each organisation facts and scores apart, and never pools one into another', async () => {
    const { apply, applyIn, aggregate, tenants } = setUp();
    // org's recovery facts pass; globex has none, and runs the same asset id in the same environment.
    await apply.execute(event(`${T}backup.completed.v1`, { completedAt: recent(1) }));
    await apply.execute(event(`${T}restore.completed.v1`, { completedAt: recent(1), verified: true }));
    await apply.execute(event(`${T}drill.completed.v1`, { completedAt: recent(10), passed: true }));
    const asset = { assetId: 'a', environment: 'prod', imageRef: undefined, lastSeenAt: recent(1) };
    const [ours] = await apply.execute(event(`${T}asset.discovered.v1`, asset));
    const [theirs] = await applyIn('globex').execute(event(`${T}asset.discovered.v1`, asset));
    // Only coverage (0.15, failing: no snapshot), backups and drills (0.1 each) apply: 0.2 of 0.35
    // for org, whose recovery passes; nothing for globex, which has no recovery facts of its own.
    expect(ours?.score).toBeCloseTo(0.2 / 0.35, 6);
    expect(theirs?.score).toBe(0);
    const round = await aggregate.execute();
    expect(round.map((s) => [s.organisation, s.data.subjectKind, s.data.subjectId])).toEqual([
      ['globex', 'environment', 'prod'],
      ['globex', 'organisation', 'globex'],
      ['org', 'environment', 'prod'],
      ['org', 'organisation', 'org'],
    ]);
    const of = (organisation: string, kind: string) =>
      round.find((s) => s.organisation === organisation && s.data.subjectKind === kind)?.data.score;
    expect(of('globex', 'organisation')).toBe(0);
    expect(of('org', 'organisation')).toBeCloseTo(0.2 / 0.35, 6);
    expect(await tenants.forOrganisation('globex').latestScore('organisation', 'org')).toBeUndefined();
    expect(await tenants.forOrganisation('org').assetFacts({})).toHaveLength(1);
  });
});
