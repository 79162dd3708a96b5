export * from './app-error';
export * from './retry-after';
