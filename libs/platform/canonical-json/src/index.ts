export * from './canonical-json';
export * from './canonical-json.error';
export * from './json-value';
