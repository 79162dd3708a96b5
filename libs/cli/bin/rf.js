#!/usr/bin/env node
'use strict';
// Runs the CLI from its TypeScript sources in a checkout, or from the compiled build in an image.
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '../../..');
const source = join(__dirname, '../src/main.ts');
const canCompile = (() => {
  try {
    require.resolve('@swc-node/register');
    return true;
  } catch {
    return false;
  }
})();
let cli;
if (existsSync(source) && canCompile) {
  process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || join(root, 'tsconfig.json');
  require('@swc-node/register');
  cli = require(source);
} else {
  process.env.TS_NODE_BASEURL = process.env.TS_NODE_BASEURL || join(root, 'dist');
  require('tsconfig-paths/register');
  cli = require(join(root, 'dist/libs/cli/src/main.js'));
}
cli.main(process.argv).then((code) => process.exit(code));
