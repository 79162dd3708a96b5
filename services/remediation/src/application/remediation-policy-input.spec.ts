import { canonicalJson } from '@rf/platform-policy';
import { buildRemediationPolicyInput, buildRollbackPolicyInput } from './remediation-policy-input';

describe('buildRemediationPolicyInput', () => {
  const request = {
    action: 'remediation.start' as const,
    planId: 'p-1',
    autonomyLevel: 4,
    riskScore: 32,
    waveIndex: 1,
    waveAssets: 10,
    fleetSize: 200,
    environment: 'prod',
    organisation: 'acme',
  };
  const environmentOf = (input: Record<string, unknown>) => input['environment'] as Record<string, unknown>;

  it('lists every member in canonical order, so its JSON text is already the canonical form', () => {
    const inputs = [
      buildRemediationPolicyInput(
        { ...request, approved: true },
        {
          utcOffset: '+01:00',
          changeWindows: [{ days: ['mon'], start: '22:00', end: '04:00' }],
          businessHours: { days: ['mon'], start: '09:00', end: '17:30' },
          freezes: [{ name: 'audit', start: '2025-11-27T00:00:00Z', end: '2025-12-02T00:00:00Z' }],
        },
        new Date('2025-11-25T22:30:00Z'),
      ),
      buildRemediationPolicyInput(request, { utcOffset: 'Z' }, new Date('2025-11-25T22:30:00Z')),
      buildRollbackPolicyInput(
        { planId: 'p-1', organisation: 'acme', waveIndex: 0, waveAssets: 3 },
        new Date('2025-11-25T22:30:00Z'),
      ),
    ];
    for (const input of inputs) expect(JSON.stringify(input)).toBe(canonicalJson(input));
  });

  it('shapes the rf.remediation input with every time as a number', () => {
    const input = buildRemediationPolicyInput(
      request,
      {
        utcOffset: '+01:00',
        changeWindows: [{ days: ['mon', 'tue'], start: '22:00', end: '04:00' }],
        businessHours: { days: ['mon'], start: '09:00', end: '17:30' },
        freezes: [{ name: 'black-friday', start: '2025-11-27T00:00:00Z', end: '2025-12-02T00:00:00+01:00' }],
      },
      new Date('2025-11-25T22:30:00Z'),
    );
    expect(input).toEqual({
      now: Date.UTC(2025, 10, 25, 22, 30),
      action: 'remediation.start',
      autonomyLevel: 4,
      plan: { id: 'p-1', riskScore: 32 },
      wave: { index: 1, assets: 10 },
      fleet: { size: 200 },
      environment: {
        name: 'prod',
        // Tuesday 23:30 in +01:00.
        local: { weekday: 'tue', minute: 23 * 60 + 30 },
        changeWindows: [{ days: ['mon', 'tue'], start: 1320, end: 240 }],
        businessHours: { days: ['mon'], start: 540, end: 1050 },
        freezes: [
          {
            name: 'black-friday',
            start: Date.UTC(2025, 10, 27),
            end: Date.UTC(2025, 11, 1, 23),
            until: '2025-12-02T00:00:00+01:00',
          },
        ],
      },
    });
  });

  it.each([
    // An offset moves the local day across midnight, both ways.
    ['+05:30', '2025-11-25T20:00:00Z', { weekday: 'wed', minute: 90 }],
    ['-05:00', '2025-11-25T03:15:00Z', { weekday: 'mon', minute: 22 * 60 + 15 }],
    ['Z', '2025-11-23T00:00:00Z', { weekday: 'sun', minute: 0 }],
    ['+14:00', '2025-12-31T23:59:00Z', { weekday: 'thu', minute: 13 * 60 + 59 }],
  ])('computes the local weekday and minute in %s at %s', (utcOffset, at, local) => {
    const input = buildRemediationPolicyInput(request, { utcOffset }, new Date(at));
    expect(environmentOf(input)['local']).toEqual(local);
  });

  it('leaves the local time out for an unreadable offset, so the policy denies', () => {
    const input = buildRemediationPolicyInput(request, { utcOffset: 'CET' }, new Date(0));
    expect(environmentOf(input)).toEqual({ name: 'prod' });
  });

  it('passes unconvertible window and freeze bounds on as given, for the policy to refuse', () => {
    const input = buildRemediationPolicyInput(
      request,
      {
        utcOffset: 'Z',
        changeWindows: [{ days: ['mon'], start: '9am', end: '24:00' }],
        businessHours: { days: ['mon'], start: '12:60', end: '24:30' },
        freezes: [{ name: 'audit', start: '2025-11-27', end: 'soon' }],
      },
      new Date(0),
    );
    expect(environmentOf(input)).toMatchObject({
      changeWindows: [{ days: ['mon'], start: '9am', end: 1440 }],
      businessHours: { days: ['mon'], start: '12:60', end: '24:30' },
      freezes: [{ name: 'audit', start: '2025-11-27', end: 'soon', until: 'soon' }],
    });
  });

  it('leaves undeclared windows and freezes out', () => {
    const input = buildRemediationPolicyInput(request, { utcOffset: 'Z' }, new Date(0));
    expect(Object.keys(environmentOf(input)).sort()).toEqual(['local', 'name']);
  });

  it('never reports a fleet smaller than the wave', () => {
    const input = buildRemediationPolicyInput({ ...request, fleetSize: 3 }, { utcOffset: 'Z' }, new Date(0));
    expect(input['fleet']).toEqual({ size: 10 });
  });

  it('says when a person approved the plan', () => {
    const input = buildRemediationPolicyInput(
      { ...request, approved: true },
      { utcOffset: 'Z' },
      new Date(0),
    );
    expect(input['approved']).toBe(true);
    expect(buildRemediationPolicyInput(request, { utcOffset: 'Z' }, new Date(0))).not.toHaveProperty(
      'approved',
    );
  });

  it('shapes a rollback with only what the policy reads for one', () => {
    expect(
      buildRollbackPolicyInput(
        { planId: 'p-1', organisation: 'acme', waveIndex: 2, waveAssets: 7 },
        new Date('2025-11-27T22:30:00Z'),
      ),
    ).toEqual({
      now: Date.UTC(2025, 10, 27, 22, 30),
      action: 'remediation.rollback',
      plan: { id: 'p-1' },
      wave: { index: 2, assets: 7 },
    });
  });
});
