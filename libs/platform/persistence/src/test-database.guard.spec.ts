import { assertTestDatabase } from './test-database.guard';

describe('assertTestDatabase', () => {
  it('accepts databases named for tests', () => {
    expect(() => assertTestDatabase('postgres://rf:rf@h:1/rf_drift_test')).not.toThrow();
  });

  it('refuses any other database', () => {
    expect(() => assertTestDatabase('postgres://rf:rf@h:1/rf_drift')).toThrow(/must contain "test"/);
  });
});
