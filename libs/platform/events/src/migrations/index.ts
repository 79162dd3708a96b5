import type { MigrationInterface } from 'typeorm';
import { CreateOutboxAndInbox1763800100000 } from './1763800100000-create-outbox-and-inbox';
import { OutboxOrganisation1764400000000 } from './1764400000000-outbox-organisation';
import { OutboxDataAsJson1764400000001 } from './1764400000001-outbox-data-as-json';

/** Migrations of the event backbone's tables, applied in every service database. */
export const EVENT_BACKBONE_MIGRATIONS: readonly (new () => MigrationInterface)[] = [
  CreateOutboxAndInbox1763800100000,
  OutboxOrganisation1764400000000,
  OutboxDataAsJson1764400000001,
];
