import { buildRemediationPolicyInput } from './remediation-policy-input';

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
  };

  it('shapes the rf.remediation input', () => {
    const input = buildRemediationPolicyInput(
      request,
      { utcOffset: '+01:00', businessHours: { days: ['mon'], start: '09:00', end: '17:00' } },
      new Date('2025-11-25T22:30:00Z'),
    );
    expect(input).toEqual({
      now: '2025-11-25T22:30:00.000Z',
      action: 'remediation.start',
      autonomyLevel: 4,
      plan: { id: 'p-1', riskScore: 32 },
      wave: { index: 1, assets: 10 },
      fleet: { size: 200 },
      environment: {
        name: 'prod',
        utcOffset: '+01:00',
        businessHours: { days: ['mon'], start: '09:00', end: '17:00' },
      },
    });
  });

  it('never reports a fleet smaller than the wave', () => {
    const input = buildRemediationPolicyInput({ ...request, fleetSize: 3 }, { utcOffset: 'Z' }, new Date(0));
    expect(input['fleet']).toEqual({ size: 10 });
  });
});
