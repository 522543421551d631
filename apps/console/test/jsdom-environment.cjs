/* global module, require */
/* eslint-disable @typescript-eslint/no-require-imports -- jest loads environments as CommonJS */
// jsdom without Node's web globals that react-router and the fetch-based client use.
const JsdomEnvironment = require('jest-environment-jsdom').default;

module.exports = class ConsoleEnvironment extends JsdomEnvironment {
  async setup() {
    await super.setup();
    for (const name of ['TextEncoder', 'TextDecoder', 'Response', 'Request', 'Headers', 'fetch', 'AbortController', 'structuredClone']) {
      if (this.global[name] === undefined) this.global[name] = globalThis[name];
    }
  }
};
