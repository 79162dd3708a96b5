export * from './kafka-client';
export * from './kafka.readiness-check';
export * from './schema-registry';
export * from './schema-registry.readiness-check';
