// Three suites: the pages under jsdom with Taro's real h5 components (fast), the built WeChat
// bundle opened under a stand-in `wx` host (needs dist/weapp), and a real browser against the
// BFF (needs dist/h5, Debian chromium, MariaDB and Redis). `npm test` builds both first.
const nutuiImport = [
  'import',
  {
    libraryName: '@nutui/nutui-react-taro',
    camel2DashComponentName: false,
    customName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}`,
    customStyleName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}/style/css`,
  },
];
const babel = [
  'babel-jest',
  {
    configFile: false,
    babelrc: false,
    presets: [
      ['@babel/preset-env', { targets: { node: 'current' } }],
      '@babel/preset-typescript',
      ['@babel/preset-react', { runtime: 'automatic' }],
    ],
    plugins: [nutuiImport],
  },
];
const esmPackages = [
  '@tarojs',
  '@nutui',
  '@stencil',
  'swiper',
  'lodash-es',
  'query-string',
  'decode-uri-component',
  'split-on-first',
  'filter-obj',
  'nanoid',
  'classnames',
  '@use-gesture',
  '@react-spring',
  'tslib',
  'style-inject',
  '\\.pnpm',
];

/** @type {import('jest').Config} */
module.exports = {
  // The first render in each page file loads Taro's h5 components on demand (Stencil's lazy
  // chunks, transformed on first use): 4–5 s of the first test on an idle machine, and past
  // jest's 5 s default when CI shares the cores (a consent test timed out so). A global option:
  // jest ignores it inside a project. The browser suites set their own, longer.
  testTimeout: 20_000,
  projects: [
    {
      displayName: 'pages',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/**/*.test.{ts,tsx}'],
      setupFiles: ['<rootDir>/test/support/globals.js'],
      setupFilesAfterEnv: ['<rootDir>/test/support/taro-mock.ts'],
      moduleNameMapper: {
        '^@tarojs/components$': '@tarojs/components/lib/react',
        '^@tarojs/taro$': '@tarojs/taro-h5',
        '\\.(css|scss)$': 'identity-obj-proxy',
      },
      transform: { '^.+\\.(t|j)sx?$': babel, '^.+\\.mjs$': babel },
      transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
    },
    {
      displayName: 'weapp-host',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/e2e/weapp-host.test.ts'],
      transform: { '^.+\\.ts$': babel },
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/e2e/errand-journey.test.ts', '<rootDir>/e2e/double-taps.test.ts', '<rootDir>/e2e/sizes.test.ts'],
      transform: { '^.+\\.ts$': babel },
    },
  ],
};
