import type { MigrationInterface } from 'typeorm';
import { CreateServiceInstances1763800000000 } from './migrations/1763800000000-create-service-instances';

/** Migrations every service database carries, applied before the service's own. */
export const PLATFORM_MIGRATIONS: readonly (new () => MigrationInterface)[] = [
  CreateServiceInstances1763800000000,
];
