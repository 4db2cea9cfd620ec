#!/usr/bin/env node
const { join } = require('node:path');
const { requireWithCodeCache } = require('./code-cache.js');

const bundles = join(__dirname, '..', 'build', 'electron', 'main');
// The pool's first worker starts from a small bundle of its own, before the console's is loaded:
// the worker's start (Node's bootstrap of a thread, tens of ms) then overlaps that loading. If
// this fails, the console starts the pool itself, and says why when it cannot. Help needs none.
let started;
try {
  const start = requireWithCodeCache(join(bundles, 'wtsc-start.bundle.js')).exports;
  if (!start.asksForHelp(process.argv.slice(2))) started = start.startNative();
} catch {
  started = undefined;
}
requireWithCodeCache(join(bundles, 'wtsc-cli.bundle.js')).exports.runCli(started);
