import { maskSecrets, maskUrlCredentials } from './secret-masking';

describe('secret masking', () => {
  it('keeps a URL readable but hides its password', () => {
    expect(maskUrlCredentials('postgres://u:p@h:1/db')).toBe('postgres://u:***@h:1/db');
    expect(maskUrlCredentials('http://h/x')).toBe('http://h/x');
  });

  it('masks plain secrets and leaves other fields and the original untouched', () => {
    const source = { api: { key: 'k-123', name: 'n' }, other: 1 };
    const masked = maskSecrets(source, ['api.key', 'missing.path']);
    expect(masked).toEqual({ api: { key: '***', name: 'n' }, other: 1 });
    expect(source.api.key).toBe('k-123');
  });
});
