export * from './correlation-id';
export * from './http-tracing.middleware';
export * from './logger';
export * from './metrics';
export * from './observability.module';
export * from './readiness-check';
export * from './tracing';
