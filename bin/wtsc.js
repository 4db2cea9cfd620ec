#!/usr/bin/env node
require('../build/electron/cli/wtsc.js').runCli();
