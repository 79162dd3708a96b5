export * from './policy-bundle.fixture';
export * from './route-coverage';
