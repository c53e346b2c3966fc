#!/usr/bin/env node
'use strict';
/**
 * `npm run build`, first half: compiles the project exactly as `tsc -p .` does (same tsconfig.json,
 * same TypeScript — the project's 5.9, not tslab's 5.0 — same outputs and diagnostics), but writes
 * every output file to a temporary file next to it and renames it into place, and only when its
 * content changed.
 *
 * Why (issue 17): tsc truncates each output and then writes it. A kernel that starts, or a notebook
 * that first imports the library, or a worker thread that loads build/lib while a build runs can
 * read a half-written declaration or script: the stress test saw `Module '"grokking-fss"' has no
 * exported member ...` once in 43 notebook runs during a rebuild loop. With a rename, a reader
 * sees the old file or the new one, never a partial one; with unchanged files left alone, a
 * rebuild without source changes touches nothing under build/.
 *
 *   node scripts/build.js                 what `npm run build` runs (then scripts/link-package.js)
 *   node scripts/build.js --rewrite-all   replace every output even when unchanged (stress test)
 *
 * Exit status: 0, or 2 when TypeScript reported errors (outputs are still written, as with tsc).
 * Outputs of deleted sources are not removed (tsc does not either).
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const projectRoot = path.resolve(__dirname, '..');

/** Writes `text` to `file` through a temporary file + rename; false when the file already held it. */
function replaceFile(file, text, rewriteAll) {
  if (!rewriteAll) {
    try {
      if (fs.readFileSync(file, 'utf8') === text) return false;
    } catch {
      /* missing: write it */
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  return true;
}

/**
 * Compiles the project; returns the counts and the diagnostics text.
 * @param {{rewriteAll?: boolean, root?: string}} [options]
 */
function build(options = {}) {
  const root = options.root || projectRoot;
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => ts.sys.newLine };
  const configDiagnostics = [];
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => configDiagnostics.push(d) },
  );
  if (!config) return { errors: configDiagnostics.length, written: 0, unchanged: 0, diagnostics: configDiagnostics, formatHost };
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
    configFileParsingDiagnostics: config.errors,
  });
  let written = 0;
  let unchanged = 0;
  const emitted = program.emit(undefined, (file, text) => {
    if (replaceFile(file, text, options.rewriteAll)) written++;
    else unchanged++;
  });
  const diagnostics = ts.sortAndDeduplicateDiagnostics([...config.errors, ...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]);
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  return { errors, written, unchanged, diagnostics, formatHost };
}

function main() {
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--rewrite-all');
  if (unknown.length) {
    process.stderr.write(`build: unknown argument ${JSON.stringify(unknown[0])}; allowed: --rewrite-all\n`);
    process.exitCode = 2;
    return;
  }
  const result = build({ rewriteAll: process.argv.includes('--rewrite-all') });
  if (result.diagnostics.length) {
    const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
    process.stdout.write(format(result.diagnostics, result.formatHost));
  }
  if (result.errors) {
    process.stdout.write(`\nFound ${result.errors} error${result.errors === 1 ? '' : 's'}.\n`);
    process.exitCode = 2;
  }
}

if (require.main === module) main();

module.exports = { build, replaceFile };
