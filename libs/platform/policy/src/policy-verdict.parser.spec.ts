import { parsePolicyVerdict } from './policy-verdict.parser';

const parse = (raw: unknown) => parsePolicyVerdict(raw, 'rf/x/decision');

describe('parsePolicyVerdict', () => {
  it('reads a full decision', () => {
    expect(
      parse({
        allow: false,
        result: 'needs_approval',
        reasons: ['risky'],
        exception: { ticket: 'EXC-1', expiresAt: '2025-11-23T00:00:00Z' },
      }),
    ).toEqual({
      result: 'needs_approval',
      reasons: ['risky'],
      exception: { ticket: 'EXC-1', expiresAt: '2025-11-23T00:00:00Z' },
    });
  });

  it('derives the result from allow when the policy gives none', () => {
    expect(parse({ allow: true, reasons: [] })).toEqual({ result: 'allow', reasons: [] });
    expect(parse({ allow: false, reasons: ['no'] })).toEqual({ result: 'deny', reasons: ['no'] });
  });

  it('shortens reasons the event contract could not carry', () => {
    const [reason] = parse({ allow: false, reasons: ['x'.repeat(5000)] }).reasons;
    expect(reason).toHaveLength(1000);
  });

  it.each([
    ['undefined', undefined, /no decision/],
    ['a boolean', true, /not an object/],
    ['an array', [], /not an object/],
    ['no allow', { reasons: [] }, /boolean allow/],
    ['reasons that are not strings', { allow: false, reasons: [1] }, /reasons/],
    ['an empty reason', { allow: false, reasons: [''] }, /reasons/],
    ['no reasons', { allow: true }, /reasons/],
    ['an unknown result', { allow: false, result: 'maybe', reasons: [] }, /unknown result "maybe"/],
    [
      'allow contradicting result',
      { allow: true, result: 'deny', reasons: [] },
      /allow=true with result deny/,
    ],
    ['deny contradicting result', { allow: false, result: 'allow', reasons: [] }, /allow=false/],
    [
      'an exception without ticket',
      { allow: true, reasons: [], exception: { expiresAt: '2025-11-23T00:00:00Z' } },
      /exception/,
    ],
    [
      'an exception with a bad time',
      { allow: true, reasons: [], exception: { ticket: 'E', expiresAt: 'soon' } },
      /exception/,
    ],
    ['an exception that is not an object', { allow: true, reasons: [], exception: 'EXC-1' }, /exception/],
  ])('refuses %s', (_, raw, message) => {
    expect(() => parse(raw)).toThrow(message);
  });

  it('fails with POLICY.RESULT_MALFORMED', () => {
    let thrown: unknown;
    try {
      parse(null);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'POLICY.RESULT_MALFORMED', retriable: false });
  });
});
