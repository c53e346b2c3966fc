'use strict';
// Shared by setup.js, run-notebooks.js and screenshot-notebook.js: where the project keeps its
// Jupyter state, which Debian packages it needs, and how the tslab kernel is registered.
// Everything Jupyter writes stays under <project>/.jupyter (git-ignored): the kernel spec,
// runtime files (connection files), and the notebook trust database.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const projectRoot = path.resolve(__dirname, '..');
const jupyterDir = path.join(projectRoot, '.jupyter');
/** The folder to put on JUPYTER_PATH: the kernel spec lives in <it>/kernels/tslab. */
const jupyterDataPath = path.join(jupyterDir, 'share', 'jupyter');
const kernelSpecFile = path.join(jupyterDataPath, 'kernels', 'tslab', 'kernel.json');
const tslabBinary = path.join(projectRoot, 'node_modules', '.bin', 'tslab');
/**
 * What the kernel spec starts: tslab behind the project's launcher, which turns off the
 * compiler's file watching (scripts/tslab-kernel.js says why).
 */
const kernelLauncher = path.join(projectRoot, 'scripts', 'tslab-kernel.js');
/** Jupyter's Python: Debian's, not a pyenv/conda python3 that may be first on PATH. */
const python = process.env.GROKFSS_PYTHON || '/usr/bin/python3';

/** Debian packages, with the command each provides (for the messages). */
const DEBIAN_PACKAGES = {
  jupyter: ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient', 'python3-ipykernel', 'jupyter-client', 'jupyter-nbformat'],
  chromium: ['chromium'],
  fonts: ['fonts-dejavu-core'],
  pdf: ['poppler-utils'],
  reference: ['python3-numpy', 'python3-scipy'],
};
const ALL_DEBIAN_PACKAGES = Object.values(DEBIAN_PACKAGES).flat();

/** The one command that installs the given Debian packages. */
function aptCommand(packages) {
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

/** Packages from the list that dpkg does not report as installed (all of them if dpkg is absent). */
function missingDebianPackages(packages = ALL_DEBIAN_PACKAGES) {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...packages], { encoding: 'utf8' });
  if (query.error) return [...packages];
  const installed = new Set(
    query.stdout
      .split('\n')
      .filter((line) => line.endsWith(' installed'))
      .map((line) => line.split(' ')[0]),
  );
  return packages.filter((name) => !installed.has(name));
}

/** Environment for every Jupyter process we start: project-local kernel spec and runtime files. */
function jupyterEnv(base = process.env) {
  const existing = base.JUPYTER_PATH ? base.JUPYTER_PATH.split(path.delimiter).filter((p) => p !== jupyterDataPath) : [];
  return {
    ...base,
    JUPYTER_PATH: [jupyterDataPath, ...existing].join(path.delimiter),
    JUPYTER_RUNTIME_DIR: base.GROKFSS_JUPYTER_RUNTIME_DIR || path.join(jupyterDir, 'runtime'),
    JUPYTER_DATA_DIR: base.GROKFSS_JUPYTER_DATA_DIR || path.join(jupyterDir, 'data'),
    JUPYTER_CONFIG_DIR: base.GROKFSS_JUPYTER_CONFIG_DIR || path.join(jupyterDir, 'config'),
    // The kernel's tfjs and tslab need nothing else; keep the Python side quiet and unbuffered.
    PYTHONUNBUFFERED: '1',
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
}

/**
 * Null when Debian's Python can import what the runner needs, else a message with the
 * install command.
 */
function jupyterProblem() {
  if (!fs.existsSync(python)) {
    return `${python} not found. Install Jupyter from Debian: ${aptCommand(DEBIAN_PACKAGES.jupyter)}`;
  }
  const check = spawnSync(python, ['-c', 'import nbclient, nbformat, jupyter_client'], { encoding: 'utf8' });
  if (check.status !== 0) {
    const detail = (check.stderr || '').trim().split('\n').pop();
    return `Jupyter is not importable by ${python} (${detail}). Install it: ${aptCommand(DEBIAN_PACKAGES.jupyter)}`;
  }
  return null;
}

/** True when the registered kernel spec points at this checkout's kernel launcher. */
function kernelRegistered() {
  try {
    const spec = JSON.parse(fs.readFileSync(kernelSpecFile, 'utf8'));
    return Array.isArray(spec.argv) && spec.argv[0] === kernelLauncher;
  } catch {
    return false;
  }
}

/**
 * Registers the tslab kernel under <project>/.jupyter, started through the project's launcher
 * (again if the checkout moved or the spec still starts tslab directly, since the spec holds an
 * absolute path). Throws with the install command if Jupyter is missing.
 * @returns true when it (re)registered, false when the spec was already current.
 */
function ensureKernel({ force = false, log = () => {} } = {}) {
  if (!force && kernelRegistered()) return false;
  const problem = jupyterProblem();
  if (problem) throw new Error(problem);
  if (!fs.existsSync(tslabBinary)) throw new Error(`${tslabBinary} is missing: run \`npm ci\` first`);
  const result = spawnSync(tslabBinary, ['install', `--python=${python}`, `--binary=${kernelLauncher}`, `--prefix=${jupyterDir}`], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: jupyterEnv(),
  });
  if (result.status !== 0 || !kernelRegistered()) {
    throw new Error(`registering the tslab kernel failed:\n${result.stdout}${result.stderr}`);
  }
  log(`registered the tslab kernel in ${path.relative(projectRoot, path.dirname(kernelSpecFile))}`);
  return true;
}

module.exports = {
  projectRoot,
  jupyterDir,
  jupyterDataPath,
  kernelSpecFile,
  tslabBinary,
  kernelLauncher,
  python,
  DEBIAN_PACKAGES,
  ALL_DEBIAN_PACKAGES,
  aptCommand,
  missingDebianPackages,
  jupyterEnv,
  jupyterProblem,
  kernelRegistered,
  ensureKernel,
};
