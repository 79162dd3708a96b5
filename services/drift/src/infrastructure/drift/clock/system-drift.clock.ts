import type { DriftClock } from '../../../application/drift/ports/drift-clock.port';

export class SystemDriftClock implements DriftClock {
  now(): Date {
    return new Date();
  }
}
