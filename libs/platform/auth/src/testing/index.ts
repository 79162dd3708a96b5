export * from './forwarded-principal.fixture';
export * from './policy-bundle.fixture';
export * from './route-coverage';
