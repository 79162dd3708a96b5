import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_PATHS, WORKSPACE_ROOT } from './contract-paths.constants';
import type { JsonValue } from './json-value.types';

export interface InvalidExampleExpectation {
  readonly file: string;
  readonly path: string;
  readonly reason: string;
}

/** The expectations table of contracts/events/examples/README.md, which the tests enforce. */
export function readInvalidExampleExpectations(root: string = WORKSPACE_ROOT): InvalidExampleExpectation[] {
  const readme = readFileSync(join(root, CONTRACT_PATHS.examplesDir, 'README.md'), 'utf8');
  return readme
    .split('\n')
    .filter((line) => /^\|\s*`[^`]+\.invalid\.json`/.test(line))
    .map((line) => {
      const [file = '', path = '', reason = ''] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`(.*)`$/, '$1'));
      return { file, path, reason };
    });
}

export function exampleFiles(root: string = WORKSPACE_ROOT): string[] {
  return readdirSync(join(root, CONTRACT_PATHS.examplesDir))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function readExample(file: string, root: string = WORKSPACE_ROOT): JsonValue {
  return JSON.parse(readFileSync(join(root, CONTRACT_PATHS.examplesDir, file), 'utf8')) as JsonValue;
}
