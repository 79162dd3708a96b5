import { actionCoverage, actionGuard, guardActions } from './guarded-actions';
import { InMemoryDecisionRecorder } from './in-memory.decision-recorder';
import { PolicyGate } from './policy-gate';
import { PolicyError } from './policy.error';
import { FakePolicyBundles } from './testing/fake-policy-bundle';

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function gateAnswering(answer: (input: { permit?: boolean }) => unknown) {
  const bundles = new FakePolicyBundles();
  const recorder = new InMemoryDecisionRecorder();
  const gate = new PolicyGate({
    service: 'drift',
    mode: 'dev',
    recorder,
    logger,
    bundleLoader: bundles.loader,
  });
  await gate.loadBundle(
    bundles.bundle('b', { 'rf/authz/decision': (i) => answer(i as { permit?: boolean }) }),
  );
  return { gate, recorder };
}

const verdict = (input: { permit?: boolean }) =>
  input.permit
    ? { allow: true, result: 'allow', reasons: [] }
    : { allow: false, result: 'needs_approval', reasons: ['a person must approve'] };

const request = (permit: boolean) => ({
  policy: 'rf.authz' as const,
  action: 'image.promote',
  input: { permit },
  resource: { kind: 'image', id: 'ubuntu' },
});

describe('guardActions', () => {
  const actions = () => {
    const calls: string[] = [];
    return {
      calls,
      set: {
        promote: (permit: boolean) => Promise.resolve(calls.push(`promote:${permit}`)),
        note: () => Promise.resolve(calls.push('note')),
      },
    };
  };

  it('decides each guarded call first, records it, and runs only what is permitted', async () => {
    const { gate, recorder } = await gateAnswering(verdict);
    const { calls, set } = actions();
    const guarded = guardActions(set, {
      gate,
      guards: { promote: actionGuard('image.promote', (permit: boolean) => request(permit)) },
      bookkeeping: { note: 'records a note' },
    });
    await guarded.promote(true);
    const refused = await guarded.promote(false).catch((e: unknown) => e);
    await guarded.note();
    expect(refused).toBeInstanceOf(PolicyError);
    expect(refused).toMatchObject({
      code: 'POLICY.APPROVAL_REQUIRED',
      retriable: false,
      message: 'image.promote needs approval by rf.authz: a person must approve',
      metadata: { result: 'needs_approval', action: 'image.promote' },
    });
    expect(calls).toEqual(['promote:true', 'note']);
    expect(recorder.decisions.map((d) => d.result)).toEqual(['allow', 'needs_approval']);
    expect(actionCoverage(guarded.promote)).toEqual({ guarded: 'image.promote' });
    expect(actionCoverage(guarded.note)).toEqual({ bookkeeping: 'records a note' });
    expect(actionCoverage(set.promote)).toBeUndefined();
  });

  it('hands a refusal to the transport mapping; a gate that cannot decide yet stays retriable', async () => {
    const { gate } = await gateAnswering(verdict);
    const guarded = guardActions(actions().set, {
      gate,
      guards: { promote: (permit: boolean) => request(permit) },
      bookkeeping: { note: 'records a note' },
      refuse: (error) => new Error(`permanent ${error.code}`),
    });
    await expect(guarded.promote(false)).rejects.toThrow('permanent POLICY.APPROVAL_REQUIRED');

    const empty = new PolicyGate({
      service: 'drift',
      mode: 'dev',
      recorder: new InMemoryDecisionRecorder(),
      logger,
    });
    const waiting = guardActions(actions().set, {
      gate: empty,
      guards: { promote: (permit: boolean) => request(permit) },
      bookkeeping: { note: 'records a note' },
      refuse: () => new Error('must not be permanent'),
    });
    await expect(waiting.promote(true)).rejects.toMatchObject({
      code: 'POLICY.BUNDLE_MISSING',
      retriable: true,
    });
  });

  it('refuses to build a set with a function neither guarded nor bookkeeping', async () => {
    const { gate } = await gateAnswering(verdict);
    expect(() => guardActions(actions().set, { gate, guards: {}, bookkeeping: { note: 'records' } })).toThrow(
      'neither guarded nor bookkeeping: promote',
    );
    expect(() =>
      guardActions(actions().set, {
        gate,
        guards: { promote: (permit: boolean) => request(permit) },
        bookkeeping: { note: 'records', promote: 'no' },
      }),
    ).toThrow('both guarded and bookkeeping: promote');
  });
});
