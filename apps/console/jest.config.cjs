/* global module */
// Two suites: components under jsdom (fast, no server) and the built bundle's size (needs dist/,
// which `npm test` builds first). The Chromium test (e2e/) runs against a real BFF.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } }];
module.exports = {
  // antd pages render slowly under jsdom on a loaded machine (role queries walk big trees).
  testTimeout: 30_000,
  projects: [
    {
      displayName: 'components',
      testEnvironment: '<rootDir>/test/jsdom-environment.cjs',
      roots: ['<rootDir>/src', '<rootDir>/test'],
      setupFilesAfterEnv: ['<rootDir>/test/setup-dom.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      // antd and rc-* ship ES modules only; swc turns them into CommonJS for jest.
      transformIgnorePatterns: [
        '/node_modules/(?!(antd|@ant-design|@rc-component|rc-[a-z-]+|@babel/runtime|react-router|echarts|zrender|tslib)/)',
      ],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      testPathIgnorePatterns: ['/node_modules/', '/test/bundle-size.test.ts'],
    },
    {
      displayName: 'bundle',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      testMatch: ['**/bundle-size.test.ts'],
    },
    {
      // Chromium against a real BFF on MySQL and Redis; needs both builds (see the test's beforeAll).
      displayName: 'browser',
      testEnvironment: 'node',
      roots: ['<rootDir>/e2e'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      testMatch: ['**/*.test.ts'],
    },
  ],
};
