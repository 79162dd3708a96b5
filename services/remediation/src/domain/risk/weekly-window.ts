const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof DAYS)[number];

/** A weekly window in an environment's local time; an end not after the start runs past midnight. */
export interface WeeklyWindow {
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
  /** `Z` or `±HH:MM`. */
  readonly utcOffset: string;
}

const OFFSET = /^(Z|([+-])(\d{2}):(\d{2}))$/u;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/u;

export function offsetMinutes(offset: string): number {
  const m = OFFSET.exec(offset);
  if (!m) throw new RangeError(`utc offset ${offset} must be Z or ±HH:MM`);
  if (m[1] === 'Z') return 0;
  const sign = m[2] === '-' ? -1 : 1;
  return sign * (Number(m[3]) * 60 + Number(m[4]));
}

function minuteOfDay(clock: string): number {
  const m = CLOCK.exec(clock);
  if (!m) throw new RangeError(`time ${clock} must be HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function windowProblems(window: WeeklyWindow): string[] {
  const problems: string[] = [];
  for (const check of [
    () => offsetMinutes(window.utcOffset),
    () => minuteOfDay(window.start),
    () => minuteOfDay(window.end),
  ]) {
    try {
      check();
    } catch (error: unknown) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (window.days.some((d) => !DAYS.includes(d))) problems.push('days must be sun..sat');
  return problems;
}

/** Local weekday and minute of the day of `at` at a UTC offset of `offset` minutes. */
export function localClock(at: Date, offset: number): { day: Weekday; minute: number } {
  const shifted = new Date(at.getTime() + offset * 60_000);
  return {
    day: DAYS[shifted.getUTCDay()] ?? 'sun',
    minute: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  };
}

export function inWindow(window: WeeklyWindow, at: Date): boolean {
  const offset = offsetMinutes(window.utcOffset);
  const start = minuteOfDay(window.start);
  const end = minuteOfDay(window.end);
  const { day, minute } = localClock(at, offset);
  if (start === end) return window.days.includes(day);
  if (start < end) return window.days.includes(day) && minute >= start && minute < end;
  // Past midnight: the part after midnight belongs to the day the window opened.
  if (minute >= start) return window.days.includes(day);
  if (minute < end) {
    const previous = DAYS[(DAYS.indexOf(day) + 6) % 7] ?? 'sun';
    return window.days.includes(previous);
  }
  return false;
}

/** The next minute at or after `from` at which the window is open; undefined if never within a week. */
export function nextOpening(window: WeeklyWindow, from: Date): Date | undefined {
  const minute = 60_000;
  const first = new Date(Math.ceil(from.getTime() / minute) * minute);
  for (let t = first.getTime(); t <= first.getTime() + 8 * 24 * 60 * minute; t += minute) {
    if (inWindow(window, new Date(t))) return new Date(t);
  }
  return undefined;
}
