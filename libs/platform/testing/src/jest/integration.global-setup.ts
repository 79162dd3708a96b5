import { processEnvironment } from '@rf/platform-config';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { stackEndpoints } from '../stack-endpoints';
import { tcpProbe } from '../tcp-probe';
import { startContainerStack } from '../testcontainers-stack';

declare global {
  var __rfContainers: StartedTestContainer[] | undefined;
}

/** Uses the running local stack, or starts one in containers when RF_TEST_INFRA=testcontainers. */
export default async function globalSetup(): Promise<void> {
  if (processEnvironment()['RF_TEST_INFRA'] === 'testcontainers') {
    globalThis.__rfContainers = await startContainerStack();
    // Fresh containers have no topics or schemas: the same deploy step as `make test` provisions them.
    const rf = resolve(__dirname, '../../../../cli/bin/rf.js');
    for (const step of ['provision', 'register'])
      execFileSync(process.execPath, [rf, 'events', step], { stdio: 'inherit' });
    return;
  }
  const endpoints = stackEndpoints();
  const targets: [string, string][] = [
    ['postgres', endpoints.postgresUrl],
    ['kafka', endpoints.kafkaBrokers[0] ?? ''],
    ['registry', endpoints.registryUrl],
    ['temporal', endpoints.temporalAddress],
  ];
  const down: string[] = [];
  for (const [name, address] of targets) {
    await tcpProbe(address).catch(() => down.push(`${name} (${address})`));
  }
  if (down.length > 0) {
    throw new Error(`The local stack is not running: ${down.join(', ')}. Start it with \`make stack-up\`.`);
  }
}
