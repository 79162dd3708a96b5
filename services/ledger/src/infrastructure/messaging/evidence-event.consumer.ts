import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EvidenceAppendedV1 } from '@rf/contracts';
import { type EventCatalogue, InboxContext } from '@rf/platform-events';
import { type JsonValue, LedgerError } from '@rf/platform-ledger-proof';
import { OnlyRecords } from '@rf/platform-policy';
import { EVENT_CATALOGUE } from '@rf/platform-runtime';
import { AppendEntriesCommand } from '../../application/commands/append-entries/append-entries.command';
import { AppendEntriesHandler } from '../../application/commands/append-entries/append-entries.handler';
import { EVIDENCE_APPENDED, EVIDENCE_EVENT_TYPES } from '../../application/evidence-event-types';
import { CLOCK } from '../../application/ledger.tokens';
import type { Clock } from '../../application/ports/clock.port';
import { PostgresLedgerRepository } from '../persistence/postgres-ledger.repository';
import { PostgresPayloadStore } from '../persistence/postgres-payload.store';

/**
 * Appends every evidence event to the ledger inside the inbox transaction, and announces each new entry
 * with evidence.appended through the outbox of that same transaction: the inbox record, the entry, its
 * payload and the announcement commit together or not at all, so each event is appended exactly once.
 */
@Controller()
export class EvidenceEventConsumer {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_CATALOGUE) private readonly catalogue: EventCatalogue,
  ) {}

  @EventPattern(EVIDENCE_EVENT_TYPES)
  @OnlyRecords('appends evidence of what happened to the ledger')
  async append(@Payload() payload: unknown, @Ctx() ctx: InboxContext): Promise<void> {
    const { event, manager } = ctx;
    const appendedAt = this.clock.now();
    const repository = new PostgresLedgerRepository(manager);
    const append = new AppendEntriesHandler(repository, new PostgresPayloadStore(manager), {
      now: () => appendedAt,
    });
    const result = await append.execute(
      new AppendEntriesCommand([
        {
          eventId: event.id,
          type: event.type,
          subject: event.subject,
          time: event.time,
          // Decoded from JSON and validated against its schema by the inbox, so it is JSON.
          payload: payload as JsonValue,
          // The envelope's organisation, never the payload's; none means platform-wide.
          organisation: event.organisation,
        },
      ]),
    );
    const outcome = result.outcomes[0];
    if (outcome === undefined || outcome.status === 'duplicate') return;
    if (outcome.status === 'conflict') {
      // Not retriable: the inbox sends the event to the DLQ with this code, the log keeps the first.
      throw new LedgerError(
        'LEDGER.EVENT_ID_CONFLICT',
        `Event ${event.id} is already in the ledger at index ${outcome.index} with different content`,
        { metadata: { eventId: event.id, eventType: event.type, index: outcome.index } },
      );
    }
    const treeSize = outcome.index + 1;
    const rootHash = await repository.rootAt(treeSize);
    const topic = this.catalogue.describe(event.type)?.topic;
    const data: EvidenceAppendedV1 = {
      index: outcome.index,
      leafHash: outcome.leafHash.toString('hex'),
      treeSize,
      rootHash: rootHash.toString('hex'),
      sourceEventId: event.id,
      sourceEventType: event.type,
      ...(topic === undefined ? {} : { sourceTopic: topic }),
      appendedAt: appendedAt.toISOString(),
    };
    await ctx.publish([{ type: EVIDENCE_APPENDED, data, time: appendedAt }]);
  }
}
