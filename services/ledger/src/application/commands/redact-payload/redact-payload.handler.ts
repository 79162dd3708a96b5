import { findEntry } from '../../entry-selector';
import type { Clock } from '../../ports/clock.port';
import { EVERY_ORGANISATION, type LedgerRepository } from '../../ports/ledger.repository.port';
import type { PayloadStore, RedactionStatus } from '../../ports/payload-store.port';
import type { RedactPayloadCommand } from './redact-payload.command';

export interface RedactPayloadResult {
  readonly index: number;
  readonly eventId: string;
  readonly status: RedactionStatus;
}

export class RedactPayloadHandler {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly payloads: PayloadStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: RedactPayloadCommand): Promise<RedactPayloadResult> {
    // An operator's act on the log itself, never a tenant's request.
    const entry = await findEntry(this.repository, command.entry, { scope: EVERY_ORGANISATION });
    const status = await this.payloads.redact(entry.payloadRef, this.clock.now(), command.reason);
    return { index: entry.index, eventId: entry.eventId, status };
  }
}
