import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildAsyncApiDocument } from './asyncapi-document.builder';
import { CONTRACT_PATHS } from './contract-paths.constants';
import { compareStrings, loadContracts } from './event-contracts.loader';
import { buildTypeScriptSources } from './typescript-sources.builder';

export interface GeneratedFile {
  /** Relative to the workspace root. */
  readonly path: string;
  readonly content: string;
}

export interface DriftReport {
  readonly changed: readonly string[];
  readonly missing: readonly string[];
  /** Files in the generated folder that the generator no longer produces. */
  readonly stale: readonly string[];
}

export async function generateContractArtifacts(root: string): Promise<GeneratedFile[]> {
  const contracts = loadContracts(root);
  const sources = await buildTypeScriptSources(contracts);
  return [
    ...[...sources].map(([file, content]) => ({ path: `${CONTRACT_PATHS.generatedDir}/${file}`, content })),
    { path: CONTRACT_PATHS.asyncapi, content: buildAsyncApiDocument(contracts) },
  ].sort((a, b) => compareStrings(a.path, b.path));
}

export async function findDrift(root: string): Promise<DriftReport> {
  const files = await generateContractArtifacts(root);
  const changed: string[] = [];
  const missing: string[] = [];
  for (const file of files) {
    const absolute = join(root, file.path);
    if (!existsSync(absolute)) missing.push(file.path);
    else if (readFileSync(absolute, 'utf8') !== file.content) changed.push(file.path);
  }
  return { changed, missing, stale: staleFiles(root, files) };
}

export function hasDrift(report: DriftReport): boolean {
  return report.changed.length + report.missing.length + report.stale.length > 0;
}

export async function writeContractArtifacts(
  root: string,
): Promise<{ written: string[]; removed: string[] }> {
  const files = await generateContractArtifacts(root);
  const written: string[] = [];
  for (const file of files) {
    const absolute = join(root, file.path);
    // Rewriting identical content would still touch mtimes and wake watchers.
    if (existsSync(absolute) && readFileSync(absolute, 'utf8') === file.content) continue;
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, file.content);
    written.push(file.path);
  }
  const removed = staleFiles(root, files);
  for (const path of removed) rmSync(join(root, path));
  return { written, removed };
}

function staleFiles(root: string, files: readonly GeneratedFile[]): string[] {
  const dir = join(root, CONTRACT_PATHS.generatedDir);
  if (!existsSync(dir)) return [];
  const expected = new Set(files.map((f) => f.path));
  return readdirSync(dir)
    .map((name) => `${CONTRACT_PATHS.generatedDir}/${name}`)
    .filter((path) => !expected.has(path))
    .sort(compareStrings);
}
