import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

// Shared by the tests of scripts/: temporary notebooks run by the project's runner.

/** The project root (the tests run from build/test/scripts). */
export const root = path.resolve(__dirname, '../../..');

/** True when Debian's Jupyter (nbclient) is importable: the notebook tests need it. */
export const hasJupyter = spawnSync(process.env.GROKFSS_PYTHON || '/usr/bin/python3', ['-c', 'import nbclient'], { stdio: 'ignore' }).status === 0;

/**
 * A folder for temporary notebooks inside the project (data/ is git-ignored), so that the kernel
 * resolves 'grokking-fss' exactly as it does for notebooks/. The caller removes it.
 */
export function temporaryNotebooksFolder(prefix: string): string {
  fs.mkdirSync(path.join(root, 'data'), { recursive: true });
  return fs.mkdtempSync(path.join(root, 'data', prefix));
}

/** A tslab notebook: one markdown cell, then one code cell per source. */
export function notebook(sources: string[]): string {
  return JSON.stringify({
    cells: [
      { cell_type: 'markdown', metadata: {}, source: '# temporary notebook' },
      ...sources.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
    ],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

/** Runs scripts/run-notebooks.js on the notebooks of `dir` (smoke profile); exit code and all output. */
export function runNotebooks(dir: string, args: string[] = [], extraEnv: Record<string, string> = {}): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-notebooks.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GROKFSS_NOTEBOOKS_DIR: dir, GROKFSS_EXECUTED_DIR: path.join(dir, 'executed'), GROKFSS_PROFILE: 'smoke', ...extraEnv },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}
