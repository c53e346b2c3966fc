#!/usr/bin/env node
// Makes the compiled library importable by its package name from anywhere in the project
// (notebooks/ included: tslab only accepts compiled JavaScript with declarations there),
// by writing a two-file shim at node_modules/grokking-fss that re-exports build/lib.
// A shim rather than a symlink to the root: a link back to the root makes a directory cycle.
//
// A file is only replaced (temporary file + rename) when its content changes, so a rebuild
// leaves the link untouched: its package.json is a module-resolution location of every running
// kernel, and replacing it used to break them (issue 17, scripts/tslab-kernel.js).
// `--force` replaces all three files anyway (what every build did before; the stress test and
// scripts/repro-kernel-death.js use it).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const target = path.join(root, 'node_modules', 'grokking-fss');
const force = process.argv.includes('--force');
fs.mkdirSync(target, { recursive: true });
const write = (name, text) => {
  const file = path.join(target, name);
  if (!force && fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
};
write(
  'package.json',
  JSON.stringify({ name: 'grokking-fss', version: require(path.join(root, 'package.json')).version, main: 'index.js', types: 'index.d.ts' }, null, 2) + '\n',
);
write('index.js', "module.exports = require('../../build/lib/index.js');\n");
write('index.d.ts', "export * from '../../build/lib/index';\n");

// The command line from a checkout, without npx installing a copy of the package into its cache:
// npx, `npm exec` and npm scripts find `grokking-fss` here first (a link to the compiled CLI).
const cli = path.join(root, 'build', 'lib', 'cli', 'main.js');
if (fs.existsSync(cli)) {
  fs.chmodSync(cli, 0o755);
  const binDir = path.join(root, 'node_modules', '.bin');
  fs.mkdirSync(binDir, { recursive: true });
  const link = path.join(binDir, 'grokking-fss');
  const tmpLink = `${link}.tmp-${process.pid}`;
  fs.rmSync(tmpLink, { force: true });
  fs.symlinkSync(path.relative(binDir, cli), tmpLink);
  fs.renameSync(tmpLink, link);
}
