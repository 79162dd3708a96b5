import { CronSchedule } from './cron-schedule.value-object';

function schedule(expression: string): CronSchedule {
  const parsed = CronSchedule.parse(expression);
  if (!(parsed instanceof CronSchedule)) throw new Error(parsed.problem);
  return parsed;
}

describe('CronSchedule', () => {
  it('accepts five- and six-field expressions', () => {
    expect(schedule('*/15 * * * *').expression).toBe('*/15 * * * *');
    expect(schedule('  */2   * * * * * ').expression).toBe('*/2 * * * * *');
  });

  it.each(['', '* * * *', 'every minute', '61 * * * *', '* * * * * * *'])('refuses %j', (text) => {
    expect(CronSchedule.parse(text)).toHaveProperty('problem');
  });

  it('finds the latest due slot after the last one claimed', () => {
    const every15 = schedule('*/15 * * * *');
    const at = new Date('2026-01-01T10:20:00Z');
    expect(every15.latestSlot(at, new Date('2026-01-01T10:00:00Z'))).toEqual(
      new Date('2026-01-01T10:15:00Z'),
    );
    expect(every15.latestSlot(at, new Date('2026-01-01T10:15:00Z'))).toBeUndefined();
    // A slot exactly at `at` is due.
    expect(every15.latestSlot(new Date('2026-01-01T10:30:00Z'), new Date('2026-01-01T10:15:00Z'))).toEqual(
      new Date('2026-01-01T10:30:00Z'),
    );
    expect(every15.nextSlot(at)).toEqual(new Date('2026-01-01T10:30:00Z'));
  });

  it('runs per second with a seconds field', () => {
    const everySecond = schedule('* * * * * *');
    const at = new Date('2026-01-01T10:20:05.400Z');
    expect(everySecond.latestSlot(at, new Date('2026-01-01T10:20:04Z'))).toEqual(
      new Date('2026-01-01T10:20:05Z'),
    );
  });
});
