import { AppError } from '@rf/platform-errors';
import { randomUUID } from 'node:crypto';
import type { ConnectorKindRegistry } from '../../connectors/connector-kind.registry';
import type { Clock } from '../../ports/clock.port';
import type { ConnectorConfigurationRepository } from '../../ports/connector-configuration.repository.port';
import type { ConnectionCheck, Connector } from '../../ports/connector.port';
import type { CredentialResolver } from '../../ports/credential-resolver.port';
import { connectorNotFound } from '../update-connector/update-connector.handler';
import type { TestConnectorCommand } from './test-connector.command';

export interface ConnectionTestResult extends ConnectionCheck {
  readonly connectorId: string;
  readonly testedAt: Date;
  readonly durationMs: number;
}

export class TestConnectorHandler {
  constructor(
    private readonly connectors: ConnectorConfigurationRepository,
    private readonly kinds: ConnectorKindRegistry,
    private readonly credentials: CredentialResolver,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  /** A failed check is a result, not an error: only an unknown connector is one. */
  async execute(command: TestConnectorCommand): Promise<ConnectionTestResult> {
    const configuration = await this.connectors.get(command.organisation, command.id);
    if (!configuration) throw connectorNotFound(command.id);
    const testedAt = this.clock.now();
    const signal = AbortSignal.timeout(this.timeoutMs);
    let check: ConnectionCheck;
    try {
      const connector = await this.kinds.instantiate(configuration, this.credentials);
      check = await (connector.testConnection
        ? connector.testConnection(signal)
        : listFirstPage(connector, signal));
    } catch (error: unknown) {
      check = { ok: false, detail: failureDetail(error, signal) };
    }
    return {
      connectorId: configuration.id,
      testedAt,
      durationMs: this.clock.now().getTime() - testedAt.getTime(),
      ...check,
    };
  }
}

async function listFirstPage(connector: Connector, signal: AbortSignal): Promise<ConnectionCheck> {
  const iterator = connector.pages({ scanId: randomUUID(), sequence: 1, signal })[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    const records = first.done === true ? 0 : first.value.records.length;
    return { ok: true, detail: `listed a first page of ${records} assets` };
  } finally {
    await iterator.return?.();
  }
}

// Provider and resolver errors name what failed, never a secret value.
function failureDetail(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'no answer before the test timed out';
  if (error instanceof AppError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
