import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../common/project-root';

const ROOT = projectRoot();
const BUNDLE = join(ROOT, 'build', 'electron', 'main', 'wtsc-cli.bundle.js');
const START_BUNDLE = join(ROOT, 'build', 'electron', 'main', 'wtsc-start.bundle.js');
const LOADER = join(ROOT, 'bin', 'code-cache.js');

/** Loads `bundle` through bin/code-cache.js in a Node of its own, as wtsc does; what became of the cache, and the type of its export `name`. */
function load(bundle: string, name = 'runCli'): { cache: string; [name: string]: string } {
  const ran = spawnSync(process.execPath, ['-e', `const r = require(process.argv[1]).requireWithCodeCache(process.argv[2]);
    process.stdout.write(JSON.stringify({ cache: r.cache, [process.argv[3]]: typeof r.exports[process.argv[3]] }));`, LOADER, bundle, name], { encoding: 'utf8' });
  assert.equal(ran.status, 0, ran.stderr);
  return JSON.parse(ran.stdout) as { cache: string; [name: string]: string };
}

describe('wtsc code cache', () => {
  it('the build writes one for each bundle, which the Node that made it accepts (and another refuses, still loading them)', () => {
    for (const [bundle, name] of [[BUNDLE, 'runCli'], [START_BUNDLE, 'startNative']] as const) {
      const madeBy = readFileSync(`${bundle}.cache.json`, 'utf8');
      // The Windows lane runs the Linux build's output under Windows Node: there V8 must refuse it.
      const same = madeBy === JSON.stringify({ node: process.version, platform: process.platform, arch: process.arch });
      assert.deepEqual(load(bundle, name), { cache: same ? 'accepted' : 'rejected', [name]: 'function' }, bundle);
    }
  });

  it('a cache that is missing or not this bundle\'s costs the compile, never the command', () => {
    // Beside the original: ffi-rs and the worker scripts resolve from the bundle's folder as they do for the real one.
    const copy = join(ROOT, 'build', 'electron', 'main', `wtsc-cli.bundle.test-${process.pid}.js`);
    copyFileSync(BUNDLE, copy);
    try {
      assert.deepEqual(load(copy), { cache: 'absent', runCli: 'function' });
      writeFileSync(`${copy}.cache`, Buffer.from('not a V8 code cache'));
      assert.deepEqual(load(copy), { cache: 'rejected', runCli: 'function' });
      // The real bundle's cache against another source.
      copyFileSync(`${BUNDLE}.cache`, `${copy}.cache`);
      writeFileSync(copy, 'module.exports = { runCli() {} };');
      assert.deepEqual(load(copy), { cache: 'rejected', runCli: 'function' });
    } finally {
      rmSync(copy, { force: true });
      rmSync(`${copy}.cache`, { force: true });
    }
  });
});
