// Preloaded (`node -r`) by test/workbench/optional-peers.test.ts: makes the packages named in
// STEPWRIGHT_TEST_HIDE (comma-separated) unresolvable, as in an app that has not installed them.
const Module = require('node:module');

const hidden = (process.env.STEPWRIGHT_TEST_HIDE ?? '').split(',').filter(Boolean);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (hidden.some((p) => request === p || request.startsWith(`${p}/`))) {
    const e = new Error(`Cannot find module '${request}'`);
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return resolve.call(this, request, ...rest);
};
