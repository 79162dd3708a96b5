// Regenerates contracts/openapi/gateway.openapi.json from the gateway's route table:
//   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register services/gateway/scripts/write-openapi.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { version } from '../package.json';
import { renderGatewayOpenApi } from '../src/api/openapi/gateway-openapi.document';
import { DEFAULT_GATEWAY_ROUTES } from '../src/domain/gateway-route';

const target = join(__dirname, '../../../contracts/openapi/gateway.openapi.json');

async function main(): Promise<void> {
  const text = renderGatewayOpenApi(DEFAULT_GATEWAY_ROUTES, version);
  writeFileSync(target, await format(text, { ...(await resolveConfig(target)), filepath: target }));
}

void main();
