// Regenerates contracts/openapi/gateway.openapi.json from the gateway's route table and the
// services' committed OpenAPI documents beside it:
//   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register services/gateway/scripts/write-openapi.ts
// With --check, writes nothing and fails when the committed document is stale (`make lint`).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { version } from '../package.json';
import { renderGatewayOpenApi } from '../src/api/openapi/gateway-openapi.document';
import {
  GATEWAY_OPENAPI_FILE,
  readLeastRoles,
  readServiceOpenApis,
} from '../src/api/openapi/service-openapi.reader';
import { DEFAULT_GATEWAY_ROUTES } from '../src/domain/gateway-route';

const directory = join(__dirname, '../../../contracts/openapi');
const target = join(directory, GATEWAY_OPENAPI_FILE);
const authzPolicy = join(__dirname, '../../../contracts/policies/authz/authz.rego');

async function main(): Promise<void> {
  const text = renderGatewayOpenApi(
    DEFAULT_GATEWAY_ROUTES,
    version,
    readLeastRoles(authzPolicy),
    readServiceOpenApis(directory),
  );
  const formatted = await format(text, { ...(await resolveConfig(target)), filepath: target });
  if (!process.argv.includes('--check')) {
    writeFileSync(target, formatted);
    return;
  }
  if (readFileSync(target, 'utf8') !== formatted) {
    console.error(
      `${GATEWAY_OPENAPI_FILE} is stale: regenerate with SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register services/gateway/scripts/write-openapi.ts`,
    );
    process.exitCode = 1;
  }
}

void main();
