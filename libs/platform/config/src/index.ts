export * from './config.error';
export * from './secret-masking';
export * from './service-config';
