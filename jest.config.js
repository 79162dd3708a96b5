// Three tiers: unit (*.spec.ts beside the code), integration (*.int-spec.ts against the local stack)
// and e2e (deploy/e2e, the whole platform through its public API).
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

// ESM-only packages that CommonJS SDKs require (the Azure SDK's HTTP runtime pulls in the ESM
// builds of the proxy agents): compiled to CommonJS like our own sources.
const esmDependencies = [
  '@typespec/ts-http-runtime/node_modules/',
  'https-proxy-agent/',
  'http-proxy-agent/',
  'agent-base/',
  'proxy-agent-negotiate/',
];

const common = {
  rootDir: __dirname,
  transform: {
    ...transform,
    '/node_modules/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!${esmDependencies.join('|')})`],
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.stack/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,deploy,bench}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/platform/testing/src/jest/integration.global-setup.ts',
      globalTeardown: '<rootDir>/libs/platform/testing/src/jest/integration.global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/platform/testing/src/jest/integration.setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/deploy/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/platform/testing/src/jest/integration.global-setup.ts',
      globalTeardown: '<rootDir>/libs/platform/testing/src/jest/integration.global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/platform/testing/src/jest/e2e.setup.ts'],
    },
  ],
};
