export * from './csv.document';
export * from './evidence-pack-index.document';
export * from './evidence-pack.archive';
export * from './evidence-pack.builder';
export * from './evidence-pack.verifier';
export * from './testing/sample-evidence-pack';
