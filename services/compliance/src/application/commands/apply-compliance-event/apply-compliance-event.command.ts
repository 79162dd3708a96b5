import type { EventDataByType } from '@rf/contracts';
import type { ComplianceInputEventType } from '../../compliance-event-types';

/** One consumed event, its data already validated against its schema. */
export type ComplianceInputEvent = {
  [K in ComplianceInputEventType]: {
    readonly id: string;
    readonly type: K;
    readonly time: string;
    readonly data: EventDataByType[K];
  };
}[ComplianceInputEventType];

export class ApplyComplianceEventCommand {
  constructor(readonly event: ComplianceInputEvent) {}
}
