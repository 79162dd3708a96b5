import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import { ServiceInstanceEntity } from './service-instance.entity';

export interface InstanceIdentity {
  readonly service: string;
  readonly version: string;
  readonly commit: string | null;
}

/** Registers this process in service_instances at start and marks it stopped on shutdown. */
export class ServiceInstanceRegistry {
  readonly instanceId = randomUUID();

  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: InstanceIdentity,
  ) {}

  async register(): Promise<ServiceInstanceEntity> {
    return this.dataSource.getRepository(ServiceInstanceEntity).save({
      id: this.instanceId,
      service: this.identity.service,
      version: this.identity.version,
      commitSha: this.identity.commit,
      hostname: hostname(),
      pid: process.pid,
      startedAt: new Date(),
      stoppedAt: null,
    });
  }

  async markStopped(): Promise<void> {
    await this.dataSource
      .getRepository(ServiceInstanceEntity)
      .update({ id: this.instanceId }, { stoppedAt: new Date() });
  }
}
