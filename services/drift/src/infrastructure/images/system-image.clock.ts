import type { Clock } from '../../application/images/ports/clock.port';

export class SystemImageClock implements Clock {
  now(): Date {
    return new Date();
  }
}
