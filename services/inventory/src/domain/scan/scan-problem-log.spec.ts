import { outcomeOf } from './scan-problem';
import { ScanProblemLog } from './scan-problem-log';

describe('ScanProblemLog', () => {
  it('reports the first problems and counts the rest', () => {
    const log = new ScanProblemLog(2);
    for (let i = 0; i < 5; i += 1)
      log.add({ code: 'CONNECTOR.THROTTLED', message: `call ${i}`, retriable: true });
    expect(log.total).toBe(5);
    expect(log.reported()).toEqual([
      { code: 'CONNECTOR.THROTTLED', message: 'call 0', retriable: true },
      { code: 'CONNECTOR.THROTTLED', message: 'call 1', retriable: true },
      { code: 'INVENTORY.MORE_PROBLEMS', message: '3 more problems not listed', retriable: true },
    ]);
  });

  it('makes problems fit the scan.completed contract', () => {
    const log = new ScanProblemLog();
    log.add({
      code: 'not a code',
      message: `  ${'x'.repeat(3000)}`,
      region: 'r'.repeat(100),
      retriable: false,
    });
    log.add({ code: 'CONNECTOR.X', message: '   ', retriable: false });
    const [first, second] = log.reported();
    expect(first?.code).toBe('CONNECTOR.ERROR');
    expect(first?.message).toHaveLength(2000);
    expect(first?.region).toHaveLength(64);
    expect(second?.message).toBe('no description');
  });
});

describe('outcomeOf', () => {
  it('is failed when the scan stopped early, partial with problems, otherwise succeeded', () => {
    expect(outcomeOf(false, [])).toBe('failed');
    expect(outcomeOf(true, [{ code: 'A.B', message: 'm', retriable: true }])).toBe('partial');
    expect(outcomeOf(true, [])).toBe('succeeded');
  });
});
