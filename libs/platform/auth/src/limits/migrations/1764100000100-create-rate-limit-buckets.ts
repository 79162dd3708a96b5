import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Token buckets shared by every gateway replica. The table is UNLOGGED: a bucket is a few seconds of
 * state, so it is not worth a WAL flush per request; after a database crash every bucket starts full. `rf_take_rate_tokens` takes one token from each
 * named bucket or from none, in one round trip: it creates missing buckets full, locks them in key
 * order (so concurrent callers never deadlock), refills them from the database clock (one clock for
 * every replica), and answers the longest wait when any bucket is short.
 */
export class CreateRateLimitBuckets1764100000100 implements MigrationInterface {
  name = 'CreateRateLimitBuckets1764100000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_buckets (
        key text PRIMARY KEY,
        tokens double precision NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX rate_limit_buckets_updated_idx ON rate_limit_buckets (updated_at)`);
    await q.query(`
      CREATE FUNCTION rf_take_rate_tokens(p_keys text[], p_capacity float8[], p_refill float8[])
      RETURNS TABLE (allowed boolean, retry_after_seconds integer, limited_by text)
      LANGUAGE plpgsql AS $$
      DECLARE
        at timestamptz := clock_timestamp();
        available float8[] := array_fill(0::float8, ARRAY[cardinality(p_keys)]);
        worst_seconds integer := 0;
        worst_key text := NULL;
        i integer;
        held float8;
        since timestamptz;
        wait integer;
      BEGIN
        INSERT INTO rate_limit_buckets (key, tokens, updated_at)
          SELECT k, c, at FROM unnest(p_keys, p_capacity) AS u(k, c) ORDER BY k
          ON CONFLICT (key) DO NOTHING;
        FOR i IN SELECT o::integer FROM unnest(p_keys) WITH ORDINALITY AS u(k, o) ORDER BY k LOOP
          SELECT b.tokens, b.updated_at INTO held, since
            FROM rate_limit_buckets b WHERE b.key = p_keys[i] FOR UPDATE;
          available[i] := LEAST(
            p_capacity[i],
            held + GREATEST(0, EXTRACT(EPOCH FROM (at - since))) * p_refill[i]
          );
          IF available[i] < 1 THEN
            wait := GREATEST(1, CEIL((1 - available[i]) / p_refill[i]))::integer;
            IF wait > worst_seconds THEN
              worst_seconds := wait;
              worst_key := p_keys[i];
            END IF;
          END IF;
        END LOOP;
        IF worst_key IS NOT NULL THEN
          RETURN QUERY SELECT false, worst_seconds, worst_key;
          RETURN;
        END IF;
        FOR i IN 1 .. cardinality(p_keys) LOOP
          UPDATE rate_limit_buckets SET tokens = available[i] - 1, updated_at = at WHERE key = p_keys[i];
        END LOOP;
        RETURN QUERY SELECT true, 0, NULL::text;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION rf_take_rate_tokens(text[], float8[], float8[])`);
    await q.query(`DROP TABLE rate_limit_buckets`);
  }
}
