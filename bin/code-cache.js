// wtsc's bundle compiled from V8's code cache, written by the build beside it: compiling the
// bundle was a sixth of the CLI's start. V8 refuses a cache from another Node (version, flags or
// source differ) and then compiles as usual, so a stale cache costs time, never behaviour.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { Module, createRequire, wrap } = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

const cachePath = (file) => `${file}.cache`;

/**
 * Compiles the CommonJS module `file` (from `cachedData` when given) and runs it as require() would,
 * into require's cache too: a later require(file) (wtsc's console bundle takes the start bundle's
 * modules that way) gets this instance, not a second one.
 */
function run(file, cachedData) {
  const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = new Module(file, null);
  module.filename = file;
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  require.cache[file] = module;
  return { script, exports: module.exports };
}

/** Runs `file` as require() would; `cache` says what became of its code cache. */
function requireWithCodeCache(file) {
  let cachedData;
  try { cachedData = readFileSync(cachePath(file)); } catch { cachedData = undefined; }
  const { script, exports } = run(file, cachedData);
  return { exports, cache: cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted' };
}

/**
 * Loads `file` (its top level only) and writes the code cache of what that compiled, with the Node
 * that made it beside it (what V8 checks the cache against, as far as a test can tell).
 */
function writeCodeCache(file) {
  writeFileSync(cachePath(file), run(file, undefined).script.createCachedData());
  writeFileSync(`${cachePath(file)}.json`, JSON.stringify({ node: process.version, platform: process.platform, arch: process.arch }));
}

module.exports = { requireWithCodeCache, writeCodeCache };
