import addFormats from 'ajv-formats';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { ExitCode } from '../exit-codes';
import type { Output } from '../output';

/** One problem in one contract file, located at the line and column of the offending value. */
export interface ContractProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** JSON pointer into the document, e.g. `/spec/hardening/level`; empty for the root. */
  readonly path: string;
  readonly message: string;
}

export interface ContractFileResult {
  readonly file: string;
  readonly valid: boolean;
  readonly problems: readonly ContractProblem[];
}

const SCHEMA_PATH = 'contracts/images/image-contract.schema.json';
/** What `rf contracts validate` checks when no path is given: the contracts and their filled examples. */
export const DEFAULT_CONTRACT_PATHS = ['contracts/images', 'contracts/images/examples'];
const CONTRACT_FILE = /\.contract(\.windows)?\.ya?ml$/;

/** Validates golden-image contracts against the JSON Schema, reporting each problem at its line. */
export class ImageContractValidator {
  private readonly validate;

  constructor(schema: object) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    this.validate = ajv.compile(schema);
  }

  static fromRepository(root: string): ImageContractValidator {
    return new ImageContractValidator(JSON.parse(readFileSync(join(root, SCHEMA_PATH), 'utf8')) as object);
  }

  validateText(file: string, text: string): ContractFileResult {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const at = (offset: number) => lines.linePos(offset);
    if (doc.errors.length > 0) {
      const problems = doc.errors.map((e) => {
        const { line, col } = at(e.pos[0]);
        return { file, line, column: col, path: '', message: `YAML: ${e.message.split('\n')[0] ?? e.code}` };
      });
      return { file, valid: false, problems };
    }
    const value: unknown = doc.toJS();
    if (this.validate(value)) return { file, valid: true, problems: [] };
    const problems = simplify(this.validate.errors ?? []).map((error) => {
      const node = nodeAt(doc.contents, error.instancePath);
      const { line, col } = at(node?.range?.[0] ?? 0);
      return { file, line, column: col, path: error.instancePath, message: describe(error) };
    });
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return { file, valid: false, problems };
  }

  validateFile(root: string, path: string): ContractFileResult {
    return this.validateText(relative(root, path) || path, readFileSync(path, 'utf8'));
  }
}

/** Files to validate: each path as given, or the contract files directly inside a directory. */
export function contractFiles(root: string, paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    const full = p.startsWith('/') ? p : join(root, p);
    if (!existsSync(full)) return [full];
    if (!statSync(full).isDirectory()) return [full];
    return readdirSync(full)
      .filter((name) => CONTRACT_FILE.test(name))
      .sort()
      .map((name) => join(full, name));
  });
}

/** `rf contracts validate [paths...]`: exit 0 when every contract is valid, 1 otherwise. */
export function validateContracts(
  root: string,
  paths: readonly string[],
  json: boolean,
  output: Output,
): ExitCode {
  const validator = ImageContractValidator.fromRepository(root);
  const files = contractFiles(root, paths.length > 0 ? paths : DEFAULT_CONTRACT_PATHS);
  if (files.length === 0) {
    output.err('rf contracts validate: no contract files (*.contract.yaml, *.contract.windows.yaml) found');
    return ExitCode.Usage;
  }
  const results = files.map((file): ContractFileResult => {
    if (!existsSync(file)) {
      const name = relative(root, file);
      return {
        file: name,
        valid: false,
        problems: [{ file: name, line: 0, column: 0, path: '', message: 'no such file' }],
      };
    }
    return validator.validateFile(root, file);
  });
  if (json) {
    output.out(JSON.stringify({ valid: results.every((r) => r.valid), files: results }, null, 2));
  } else {
    for (const result of results) {
      if (result.valid) output.out(`ok    ${result.file}`);
      for (const p of result.problems) {
        output.out(`${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
      }
    }
    const failed = results.filter((r) => !r.valid).length;
    output.out(`${results.length - failed} valid, ${failed} invalid`);
  }
  return results.every((r) => r.valid) ? ExitCode.Ok : ExitCode.Failure;
}

/** Drops the noise ajv adds around `if/then/else`: the failing branch already says what is wrong. */
function simplify(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => e.keyword !== 'if');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown property "${String(params['additionalProperty'])}"`;
    case 'required':
      return `missing required property "${String(params['missingProperty'])}"`;
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params['allowedValue'])}`;
    case 'false schema':
      return 'is not allowed here (spec.windows is for Windows contracts only)';
    default:
      return error.message ?? error.keyword;
  }
}

/**
 * Where a JSON pointer points in the YAML: the key of the named member (so a nested object is
 * reported at its header line), the item of a sequence, or the nearest existing ancestor.
 */
function nodeAt(root: unknown, pointer: string): Node | undefined {
  let node = root as Node | undefined;
  let located = node;
  const keys = pointer
    .split('/')
    .slice(1)
    .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
  for (const key of keys) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key);
      if (!pair) return located;
      located = (pair.key as Node | null) ?? located;
      node = (pair.value as Node | null) ?? undefined;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as Node | undefined;
      if (!item) return located;
      located = item;
      node = item;
    } else {
      return located;
    }
  }
  return located;
}
