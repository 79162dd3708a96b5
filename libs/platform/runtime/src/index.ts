export * from './bootstrap';
export * from './http/problem-details.filter';
export * from './platform.module';
export * from './platform.tokens';
