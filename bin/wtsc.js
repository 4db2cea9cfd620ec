#!/usr/bin/env node
require('../build/electron/main/cli/wtsc.js').runCli();
