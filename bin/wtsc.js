#!/usr/bin/env node
const { join } = require('node:path');
const { requireWithCodeCache } = require('./code-cache.js');

requireWithCodeCache(join(__dirname, '..', 'build', 'electron', 'main', 'wtsc-cli.bundle.js')).exports.runCli();
