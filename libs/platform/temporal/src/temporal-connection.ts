import { Connection } from '@temporalio/client';

export interface TemporalSettings {
  readonly address: string;
  readonly namespace: string;
}

export function connectTemporal(settings: TemporalSettings): Promise<Connection> {
  return Connection.connect({ address: settings.address, connectTimeout: '3s' });
}
