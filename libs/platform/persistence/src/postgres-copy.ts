import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';

/** A value as COPY's text format spells it: `\N` for null, and backslash escapes for the delimiters. */
export type CopyValue = string | number | boolean | null;

const NEEDS_ESCAPE = /[\\\t\n\r]/u;

function copyText(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return NEEDS_ESCAPE.test(value)
    ? value.replace(/\\/gu, '\\\\').replace(/\t/gu, '\\t').replace(/\n/gu, '\\n').replace(/\r/gu, '\\r')
    : value;
}

const BATCH_ROWS = 1_000;

export function* copyLinesOf(rows: readonly (readonly CopyValue[])[]): Generator<string> {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    let chunk = '';
    const end = Math.min(rows.length, start + BATCH_ROWS);
    for (let r = start; r < end; r += 1) {
      const row = rows[r] ?? [];
      for (let c = 0; c < row.length; c += 1) chunk += (c === 0 ? '' : '\t') + copyText(row[c] ?? null);
      chunk += '\n';
    }
    yield chunk;
  }
}

/**
 * Streams rows into a table with COPY FROM STDIN on the transaction's own connection: the cheapest way
 * into PostgreSQL, with no per-row statement or parameter parsing.
 */
export async function copyRows(
  transaction: { readonly queryRunner?: QueryRunner | undefined },
  table: string,
  columns: readonly string[],
  rows: readonly (readonly CopyValue[])[],
): Promise<void> {
  const runner = transaction.queryRunner;
  if (!runner) throw new Error('COPY needs the connection of a transaction');
  const client = (await runner.connect()) as PoolClient;
  const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyLinesOf(rows)), sink);
}
