export * from './data-source';
export * from './database.readiness-check';
export * from './platform-migrations';
export * from './service-instance.entity';
export * from './service-instance.registry';
export * from './test-database.guard';
