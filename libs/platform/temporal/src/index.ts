export * from './temporal-connection';
export * from './temporal.readiness-check';
