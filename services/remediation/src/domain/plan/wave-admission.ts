/**
 * Decides when a wave may launch its next change so that its error threshold is never overshot:
 * a change is launched only while the failures so far plus the changes in flight cannot exceed the
 * one failure that trips the wave. Once tripped, nothing new launches.
 */
export class WaveAdmission {
  private inFlight = 0;
  private failed = 0;
  private succeeded = 0;

  constructor(
    private readonly maxConcurrency: number,
    private readonly maxFailures: number,
  ) {}

  get tripped(): boolean {
    return this.failed > this.maxFailures;
  }

  get counts(): { readonly inFlight: number; readonly failed: number; readonly succeeded: number } {
    return { inFlight: this.inFlight, failed: this.failed, succeeded: this.succeeded };
  }

  /** Whether another change may start now; reserves a slot when it may. */
  tryLaunch(): boolean {
    if (this.tripped) return false;
    if (this.inFlight >= this.maxConcurrency) return false;
    if (this.failed + this.inFlight + 1 > this.maxFailures + 1) return false;
    this.inFlight++;
    return true;
  }

  settle(outcome: 'succeeded' | 'failed'): void {
    if (this.inFlight === 0) throw new Error('settle without a launched change');
    this.inFlight--;
    if (outcome === 'failed') this.failed++;
    else this.succeeded++;
  }
}
