import type { DriftInput } from '../../../../domain/drift/drift.types';

/** One image.* or asset.* event, as the drift engine reads it, applied at `now` (epoch ms). */
export class ApplyDriftInputCommand {
  constructor(
    readonly input: DriftInput,
    readonly now: number,
  ) {}
}
