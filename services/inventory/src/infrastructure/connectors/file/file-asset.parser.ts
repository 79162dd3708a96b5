import { formatValidationError } from '@rf/contracts';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import { AssetIdentity, UNSCOPED_ORGANISATION } from '../../../domain/asset/asset-identity.value-object';
import type { Platform } from '../../../domain/asset/platform';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import { ConnectorFailure } from '../../../domain/scan/connector-failure.error';
import type { ScanProblem } from '../../../domain/scan/scan-problem';
import { CsvSyntaxError, parseCsv } from './csv-table.parser';
import FILE_ASSET_IMPORT_SCHEMA from './file-asset-import.schema.json';
import { arrayElementLines, jsonSyntaxErrorLine } from './json-element-lines.locator';

export type AssetFileFormat = 'json' | 'jsonl' | 'csv';

interface FileAsset {
  platform?: Platform;
  account: string;
  region: string;
  instanceId: string;
  state: 'running' | 'stopped' | 'terminated';
  site?: string;
  environment?: string;
  project?: string;
  imageRef?: string;
  imageName?: string;
  tags?: Record<string, string>;
}

interface LocatedValue {
  readonly line: number;
  readonly value: unknown;
}

interface LineProblem {
  readonly line: number;
  readonly message: string;
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(FILE_ASSET_IMPORT_SCHEMA);
const SCHEMA_ID = FILE_ASSET_IMPORT_SCHEMA.$id;

function compiled(ref: string): ValidateFunction {
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`file import schema ${ref} is missing`);
  return validate;
}

// Compiling the document schema checks the whole file schema once at start-up.
compiled(SCHEMA_ID);
const validateAsset = compiled(`${SCHEMA_ID}#/$defs/asset`);

// CSV headers, in snake_case or as the JSON property names.
const CSV_FIELDS: ReadonlyMap<string, keyof Omit<FileAsset, 'tags'>> = new Map([
  ['platform', 'platform'],
  ['account', 'account'],
  ['region', 'region'],
  ['instance_id', 'instanceId'],
  ['instanceId', 'instanceId'],
  ['state', 'state'],
  ['site', 'site'],
  ['environment', 'environment'],
  ['project', 'project'],
  ['image_ref', 'imageRef'],
  ['imageRef', 'imageRef'],
  ['image_name', 'imageName'],
  ['imageName', 'imageName'],
]);
const TAG_COLUMN = 'tag:';

/** Guesses the format from the file name: `.csv`, `.jsonl`/`.ndjson`, otherwise JSON. */
export function formatOf(path: string): AssetFileFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return 'json';
}

/**
 * Parses and validates a whole asset file against `file-asset-import.schema.json`. Either every record
 * is valid and all are returned, or a `ConnectorFailure` lists every problem with its line number
 * (duplicates included) and nothing is returned: an import is never partial.
 */
export function parseAssetFile(text: string, format: AssetFileFormat): RawAssetRecord[] {
  const problems: LineProblem[] = [];
  const located = locate(text, format, problems);
  const records: RawAssetRecord[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, value } of located) {
    if (!validateAsset(value)) {
      for (const error of validateAsset.errors ?? [])
        problems.push({ line, message: formatValidationError(error) });
      continue;
    }
    const asset = value as FileAsset;
    const platform = asset.platform ?? 'file';
    // Duplicates within one file: every record of it lands in the same organisation.
    const { assetId } = AssetIdentity.of({ ...asset, organisation: UNSCOPED_ORGANISATION, platform });
    const first = firstLineOf.get(assetId);
    if (first !== undefined) {
      problems.push({
        line,
        message: `duplicate of the asset on line ${first} (same platform, account, region, instanceId)`,
      });
      continue;
    }
    firstLineOf.set(assetId, line);
    records.push({ ...asset, platform });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    const scanProblems: ScanProblem[] = problems.map((p) => ({
      code: 'INVENTORY.FILE_IMPORT_INVALID',
      message: p.line > 0 ? `line ${p.line}: ${p.message}` : p.message,
      retriable: false,
    }));
    throw new ConnectorFailure(
      'INVENTORY.FILE_IMPORT_INVALID',
      `The asset file has ${problems.length} problem(s); nothing was imported`,
      scanProblems,
      { metadata: { problems: problems.length, firstLine: problems[0]?.line ?? null } },
    );
  }
  return records;
}

function locate(text: string, format: AssetFileFormat, problems: LineProblem[]): LocatedValue[] {
  switch (format) {
    case 'json':
      return locateJson(text, problems);
    case 'jsonl':
      return locateJsonLines(text, problems);
    case 'csv':
      return locateCsv(text, problems);
  }
}

function locateJson(text: string, problems: LineProblem[]): LocatedValue[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    problems.push({ line: jsonSyntaxErrorLine(text) ?? 1, message: `not valid JSON: ${reason}` });
    return [];
  }
  // Elements are validated one by one (against `#/$defs/asset`) with their lines; here only the outer shape.
  const elements = Array.isArray(document) ? (document as unknown[]) : assetsMember(document);
  if (elements === null) {
    problems.push({
      line: 1,
      message: 'the document must be an array of assets or an object with only an "assets" array',
    });
    return [];
  }
  const lines = arrayElementLines(text, 'assets');
  return elements.map((value, i) => ({ line: lines[i] ?? 0, value }));
}

function assetsMember(document: unknown): unknown[] | null {
  if (typeof document !== 'object' || document === null) return null;
  const keys = Object.keys(document);
  const assets: unknown = (document as { assets?: unknown }).assets;
  return keys.length === 1 && keys[0] === 'assets' && Array.isArray(assets) ? (assets as unknown[]) : null;
}

function locateJsonLines(text: string, problems: LineProblem[]): LocatedValue[] {
  const located: LocatedValue[] = [];
  text.split('\n').forEach((raw, i) => {
    const source = raw.trim();
    if (source.length === 0) return;
    try {
      located.push({ line: i + 1, value: JSON.parse(source) });
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push({ line: i + 1, message: `not valid JSON: ${reason}` });
    }
  });
  return located;
}

function locateCsv(text: string, problems: LineProblem[]): LocatedValue[] {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (error: unknown) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    problems.push({ line: error.line, message: `not valid CSV: ${error.message}` });
    return [];
  }
  const [header, ...body] = rows;
  if (!header) {
    problems.push({ line: 1, message: 'the file is empty: a CSV import needs a header row' });
    return [];
  }
  const columns = header.cells.map((name) => name.trim());
  const unknown = columns.filter(
    (c) => !CSV_FIELDS.has(c) && !(c.startsWith(TAG_COLUMN) && c.length > TAG_COLUMN.length),
  );
  if (unknown.length > 0) {
    problems.push({ line: header.line, message: `unknown column(s): ${unknown.join(', ')}` });
    return [];
  }
  return body.flatMap((row) => {
    if (row.cells.length !== columns.length) {
      problems.push({
        line: row.line,
        message: `has ${row.cells.length} cells, the header has ${columns.length}`,
      });
      return [];
    }
    const fields: [string, string][] = [];
    const tags: [string, string][] = [];
    row.cells.forEach((cell, i) => {
      const column = columns[i] ?? '';
      if (cell === '') return;
      if (column.startsWith(TAG_COLUMN)) tags.push([column.slice(TAG_COLUMN.length), cell]);
      else fields.push([CSV_FIELDS.get(column) ?? column, cell]);
    });
    const value: Record<string, unknown> = Object.fromEntries(fields);
    if (tags.length > 0) value['tags'] = Object.fromEntries(tags);
    return [{ line: row.line, value }];
  });
}
