module.exports = {
  ...require('../../jest.base.js'),
  roots: ['<rootDir>/src', '<rootDir>/test'],
  // Integration suites each own a database; two at a time keeps the 2-core machine responsive.
  maxWorkers: 2,
  testTimeout: 30000,
};
