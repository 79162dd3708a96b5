import { encodeLeaf, hashLeaf, payloadHashOf, payloadRefFor } from '@rf/platform-ledger-proof';
import type { Clock } from '../../ports/clock.port';
import type { AppendBatchResult, LeafToAppend, LedgerRepository } from '../../ports/ledger.repository.port';
import type { PayloadStore, PayloadToStore } from '../../ports/payload-store.port';
import type { AppendEntriesCommand } from './append-entries.command';

export class AppendEntriesHandler {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly payloads: PayloadStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: AppendEntriesCommand): Promise<AppendBatchResult> {
    const appendedAt = this.clock.now();
    const leaves: LeafToAppend[] = [];
    const payloads: PayloadToStore[] = [];
    // Encode everything first: one malformed event fails the batch before anything is written.
    for (const event of command.events) {
      const payloadHash = payloadHashOf(event.payload);
      const payloadRef = payloadRefFor(event.eventId);
      const leaf = encodeLeaf({
        eventId: event.eventId,
        type: event.type,
        subject: event.subject,
        time: event.time,
        payloadHash,
        payloadRef,
        // Bound into the leaf only when the event names one: platform-wide leaves hash as before.
        ...(event.organisation === null ? {} : { organisation: event.organisation }),
      });
      leaves.push({
        eventId: event.eventId,
        organisation: event.organisation,
        leaf,
        leafHash: hashLeaf(leaf),
        payloadHash,
        payloadRef,
        appendedAt,
      });
      payloads.push({ ref: payloadRef, content: event.payload });
    }
    if (leaves.length === 0) return { outcomes: [], treeSize: await this.repository.treeSize() };
    // Payloads first: a crash in between leaves an orphan payload, never a leaf without its payload.
    await this.payloads.putIfAbsent(payloads);
    return this.repository.append(leaves);
  }
}
