import { CronExpressionParser } from 'cron-parser';

/**
 * A connector's scan schedule: a cron expression in UTC, with five fields (minute precision) or six
 * (a leading seconds field). Computation only; nothing here reads a clock.
 */
export class CronSchedule {
  private constructor(readonly expression: string) {}

  /** The schedule, or the reason the expression is not one. */
  static parse(expression: string): CronSchedule | { readonly problem: string } {
    const fields = expression.trim().split(/\s+/u);
    if (fields.length < 5 || fields.length > 6) {
      return { problem: 'must have 5 fields (or 6, with a leading seconds field)' };
    }
    try {
      CronExpressionParser.parse(expression, { tz: 'UTC', strict: false });
      return new CronSchedule(fields.join(' '));
    } catch (error: unknown) {
      return { problem: error instanceof Error ? error.message : 'is not a cron expression' };
    }
  }

  /** The latest fire time at or before `at`, if any falls after `notBefore`. */
  latestSlot(at: Date, notBefore: Date): Date | undefined {
    const cursor = CronExpressionParser.parse(this.expression, {
      tz: 'UTC',
      // prev() is strictly before currentDate: step one millisecond past `at` so `at` itself counts.
      currentDate: new Date(at.getTime() + 1),
    });
    const previous = cursor.prev().toDate();
    return previous.getTime() > notBefore.getTime() ? previous : undefined;
  }

  /** The first fire time strictly after `after`. */
  nextSlot(after: Date): Date {
    return CronExpressionParser.parse(this.expression, { tz: 'UTC', currentDate: after }).next().toDate();
  }
}
