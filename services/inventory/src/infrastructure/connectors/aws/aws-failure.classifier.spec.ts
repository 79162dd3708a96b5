import { classifyAwsFailure } from './aws-failure.classifier';

function awsError(name: string, status: number, fault: 'client' | 'server' = 'client') {
  return Object.assign(new Error(name), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

describe('classifyAwsFailure', () => {
  it.each([
    ['RequestLimitExceeded', 503, 'throttled'],
    ['ThrottlingException', 400, 'throttled'],
    ['SomethingNew', 429, 'throttled'],
    ['AuthFailure', 401, 'auth'],
    ['AccessDenied', 403, 'auth'],
    ['ExpiredToken', 400, 'auth'],
    ['InternalError', 500, 'transient'],
    ['InvalidParameterValue', 400, 'fatal'],
  ])('%s (%i) is %s', (name, status, kind) => {
    expect(classifyAwsFailure(awsError(name, status)).kind).toBe(kind);
  });

  it('retries connection resets and gives up on non-errors', () => {
    expect(classifyAwsFailure(Object.assign(new Error('reset'), { code: 'ECONNRESET' })).kind).toBe(
      'transient',
    );
    expect(classifyAwsFailure('boom').kind).toBe('fatal');
  });
});
