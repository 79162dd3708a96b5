import { DriftEngine } from './drift-engine';
import type { DriftInput, DriftTransition } from './drift.types';

/**
 * The incremental drift engine of each organisation. An event reaches only its organisation's engine,
 * so an asset is judged against its own organisation's image families and counted in its own
 * organisation's aggregates; the routing is one map look-up, so an event still costs O(1).
 */
export class OrganisationDriftEngines {
  private readonly engines = new Map<string, DriftEngine>();

  constructor(private readonly newId: () => string) {}

  /** The organisation's engine, empty until its first event. */
  of(organisation: string): DriftEngine {
    let engine = this.engines.get(organisation);
    if (engine === undefined) {
      engine = new DriftEngine(this.newId);
      this.engines.set(organisation, engine);
    }
    return engine;
  }

  apply(organisation: string, input: DriftInput, now: number): DriftTransition[] {
    return this.of(organisation).apply(input, now);
  }

  /** Every organisation's verdicts brought up to date with revocations that took effect by `now`. */
  tick(now: number): Map<string, DriftTransition[]> {
    const out = new Map<string, DriftTransition[]>();
    for (const [organisation, engine] of this.engines) out.set(organisation, engine.tick(now));
    return out;
  }

  organisations(): string[] {
    return [...this.engines.keys()];
  }
}
