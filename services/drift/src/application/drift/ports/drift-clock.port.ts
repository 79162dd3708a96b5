export interface DriftClock {
  now(): Date;
}
