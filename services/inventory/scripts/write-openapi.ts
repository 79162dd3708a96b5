/**
 * Writes contracts/openapi/inventory.openapi.json from the code, or with --check fails when the
 * committed document differs. The unit test inventory.openapi.spec.ts fails on the same drift.
 *
 *   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register services/inventory/scripts/write-openapi.ts [--check]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { version } from '../package.json';
import { INVENTORY_OPENAPI_PATH, inventoryOpenApiDocument } from '../src/api/inventory.openapi';

async function main(): Promise<void> {
  const options = (await resolveConfig(INVENTORY_OPENAPI_PATH)) ?? {};
  const text = await format(JSON.stringify(inventoryOpenApiDocument(version)), {
    ...options,
    parser: 'json',
  });
  if (process.argv.includes('--check')) {
    const committed = await readFile(INVENTORY_OPENAPI_PATH, 'utf8').catch(() => '');
    if (committed !== text) {
      process.stderr.write(`${INVENTORY_OPENAPI_PATH} is out of date: run this script without --check\n`);
      process.exitCode = 1;
    }
    return;
  }
  await mkdir(dirname(INVENTORY_OPENAPI_PATH), { recursive: true });
  await writeFile(INVENTORY_OPENAPI_PATH, text);
}

void main();
