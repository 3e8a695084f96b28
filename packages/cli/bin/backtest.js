#!/usr/bin/env node
'use strict';
// The command starts from one bundled file when the build made one: resolving and compiling the
// ~600 small modules of its dependencies one by one costs more than the whole sma backtest.
const fs = require('node:fs');
const path = require('node:path');
const bundled = path.join(__dirname, '..', 'dist', 'backtest.bundle.js');
require(fs.existsSync(bundled) ? bundled : path.join(__dirname, '..', 'dist', 'bin.js'));
