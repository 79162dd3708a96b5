import { InventoryError } from '../inventory.error';
import { DEFAULT_MISSED_SCANS_BEFORE_REMOVAL, RemovalPolicy } from './removal.policy';

describe('RemovalPolicy', () => {
  it('removes after 3 consecutive missed scans by default', () => {
    const policy = new RemovalPolicy();
    expect(DEFAULT_MISSED_SCANS_BEFORE_REMOVAL).toBe(3);
    expect([1, 2, 3, 4].map((missed) => policy.removesAfterMisses(missed))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it('takes K from configuration', () => {
    expect(new RemovalPolicy(1).removesAfterMisses(1)).toBe(true);
    expect(new RemovalPolicy(5).removesAfterMisses(4)).toBe(false);
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses K = %p', (k) => {
    expect(() => new RemovalPolicy(k)).toThrow(InventoryError);
    expect(() => new RemovalPolicy(k)).toThrow(/missedScansBeforeRemoval/);
  });
});
