#!/usr/bin/env node
require('../build/electron/main/wtsc-cli.bundle.js').runCli();
