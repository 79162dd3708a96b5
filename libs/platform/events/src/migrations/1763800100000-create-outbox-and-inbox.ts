import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The transactional outbox and the idempotent inbox every service database carries. */
export class CreateOutboxAndInbox1763800100000 implements MigrationInterface {
  name = 'CreateOutboxAndInbox1763800100000';

  async up(q: QueryRunner): Promise<void> {
    // Rows are claimed by "not yet published", never by an id watermark, so a row whose transaction
    // commits after a later id is still relayed. Lanes partition aggregates between relay instances.
    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        event_type text NOT NULL,
        topic text NOT NULL,
        aggregate_id text NOT NULL,
        lane smallint NOT NULL GENERATED ALWAYS AS (abs(hashtext(aggregate_id) % 16)) STORED,
        source text NOT NULL,
        dataschema text,
        occurred_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        correlation_id text NOT NULL,
        causation_id text,
        traceparent text,
        tracestate text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL`);
    await q.query(
      `CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('rf_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);

    await q.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await q.query(`CREATE INDEX inbox_handled_at_idx ON inbox (handled_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox`);
    await q.query(`DROP TRIGGER outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION outbox_notify()`);
    await q.query(`DROP TABLE outbox`);
  }
}
