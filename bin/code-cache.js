// wtsc's bundle compiled from V8's code cache, written by the build beside it: compiling the
// bundle's ~1 MB was a sixth of the CLI's start. V8 refuses a cache from another Node (version,
// flags or source differ) and then compiles as usual, so a stale cache costs time, never behaviour.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire, wrap } = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

const cachePath = (file) => `${file}.cache`;

function compile(file, cachedData) {
  return new Script(wrap(readFileSync(file, 'utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
}

/** Runs the CommonJS module `file` as require() would; `cache` says what became of its code cache. */
function requireWithCodeCache(file) {
  let cachedData;
  try { cachedData = readFileSync(cachePath(file)); } catch { cachedData = undefined; }
  const script = compile(file, cachedData);
  const module = { exports: {}, id: file, filename: file, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  const cache = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { exports: module.exports, cache };
}

/** Compiles and loads `file` (its top level only), then writes the code cache of what that compiled. */
function writeCodeCache(file) {
  const script = compile(file, undefined);
  const module = { exports: {}, id: file, filename: file, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  writeFileSync(cachePath(file), script.createCachedData());
  writeFileSync(`${cachePath(file)}.json`, JSON.stringify(thisNode()));
}

/** What V8 checks a cache against, as far as a test can tell: the Node that made it (written beside it). */
function thisNode() {
  return { node: process.version, platform: process.platform, arch: process.arch };
}

module.exports = { requireWithCodeCache, writeCodeCache, cachePath, thisNode };
