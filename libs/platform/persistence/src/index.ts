export * from './data-source';
export * from './database.readiness-check';
export * from './platform-migrations';
export * from './postgres-copy';
export * from './postgres-errors';
export * from './service-instance.entity';
export * from './service-instance.registry';
export * from './test-database.guard';
