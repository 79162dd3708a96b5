export * from './tar-gz.reader';
export * from './wasm-policy';
