'use strict';
/**
 * A one-node Slurm cluster on localhost, for tests (scripts/test-slurm.js): munged, slurmctld
 * and slurmd from Debian's slurm-wlm and munge packages, run as root in the foreground as
 * children of this process, with a minimal generated configuration and all their state in one
 * temporary folder. Nothing under /etc is used or changed, and the ports are free ones, so an
 * installed system cluster is not disturbed.
 *
 * startCluster(), step by step:
 * 1. Create the state folder (mode 0700) and a munge key in it (mungekey).
 * 2. Start munged on a socket in that folder; wait until the socket answers.
 * 3. Write slurm.conf: this host as controller and only node (its hardware as `slurmd -C` reports
 *    it, address 127.0.0.1), two free TCP ports, auth and credentials through our munged,
 *    linuxproc process tracking, no cgroups, accounting or MPI, builtin FIFO scheduler,
 *    one core per task (select/cons_tres, CR_Core), a short KillWait.
 * 4. Start slurmctld and slurmd (-D, foreground); wait until the node is idle.
 * stop() cancels every job of this cluster, stops the daemons (SIGTERM, then SIGKILL after 15 s),
 * kills any slurmstepd left from them, removes the state folder and reports whatever of it is
 * still running (it should be nothing).
 */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

/** Programs the cluster needs, and the Debian package that has each. */
const PROGRAMS = {
  munged: 'munge',
  mungekey: 'munge',
  munge: 'munge',
  slurmctld: 'slurmctld',
  slurmd: 'slurmd',
  sbatch: 'slurm-client',
  squeue: 'slurm-client',
  sinfo: 'slurm-client',
  scancel: 'slurm-client',
};
/** What to install: the slurm-wlm meta-package brings slurmctld, slurmd and the client. */
const DEBIAN_PACKAGES = ['slurm-wlm', 'munge'];
/** Process names of Slurm and munge daemons (and of the helpers they start). */
const DAEMON_NAMES = ['munged', 'slurmctld', 'slurmd', 'slurmstepd', 'slurmscriptd'];

function which(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter).concat(['/usr/sbin', '/sbin'])) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** The programs of PROGRAMS that are not installed. */
function missingPrograms() {
  return Object.keys(PROGRAMS).filter((name) => !which(name));
}

function aptCommand() {
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES.join(' ')}`;
}

/**
 * Installs slurm-wlm and munge with apt-get when a program is missing and we are root; throws
 * with the apt command to run otherwise. While apt runs, services are kept from starting
 * (a policy-rc.d that denies, written only when none exists and removed afterwards): the
 * packages' own daemons would run with the system configuration and outlive the test.
 */
function ensureSlurm(log) {
  const missing = missingPrograms();
  if (missing.length === 0) return false;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new Error(`Slurm is not installed (missing: ${missing.join(', ')}), and installing it needs root and apt-get. Install it with:\n  ${aptCommand()}`);
  }
  log(`installing ${DEBIAN_PACKAGES.join(' ')} (missing: ${missing.join(', ')})`);
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !fs.existsSync(policy);
  if (ownPolicy)
    fs.writeFileSync(policy, '#!/bin/sh\n# written by grokking-fss scripts/slurm-cluster.js while apt-get runs: start no services\nexit 101\n', {
      mode: 0o755,
    });
  try {
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', '--no-install-recommends', ...DEBIAN_PACKAGES],
    ]) {
      const run = spawnSync('apt-get', args, { stdio: 'inherit', env: aptEnv });
      if (run.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${run.status}); run it yourself: ${aptCommand()}`);
    }
  } finally {
    if (ownPolicy) fs.rmSync(policy, { force: true });
  }
  const still = missingPrograms();
  if (still.length > 0) throw new Error(`after installing ${DEBIAN_PACKAGES.join(' ')}, still missing: ${still.join(', ')}`);
  return true;
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 200 ms until it returns a truthy value; throws `what` after `seconds`. */
async function waitFor(what, seconds, check) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(200);
  }
}

/** Start time (clock ticks since boot) and command name of a process, or null. */
function processInfo(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return null; // a zombie runs nothing
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      /* gone meanwhile */
    }
    return { pid, ppid: Number(fields[1]), name, start: Number(fields[19]), cmdline };
  } catch {
    return null;
  }
}

/** Every live process (pid, name, start, cmdline). */
function processes() {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => processInfo(Number(name)))
    .filter(Boolean);
}

/**
 * Processes of this cluster still alive: the daemons we started, anything whose command line
 * names the state folder or one of `paths`, Slurm daemons (slurmstepd, …) started since the
 * cluster was (they can only be ours: a system cluster's daemons started earlier are excluded
 * by the start time), and every descendant of these (a job's processes).
 */
function leftovers(cluster, paths = []) {
  const marks = [cluster.dir, ...paths];
  const all = processes().filter((p) => p.pid !== process.pid);
  const ours = new Set(
    all
      .filter(
        (p) => cluster.pids.includes(p.pid) || marks.some((m) => p.cmdline.includes(m)) || (DAEMON_NAMES.includes(p.name) && p.start >= cluster.startTicks),
      )
      .map((p) => p.pid),
  );
  for (let grown = true; grown;) {
    grown = false;
    for (const p of all) {
      if (!ours.has(p.pid) && ours.has(p.ppid)) {
        ours.add(p.pid);
        grown = true;
      }
    }
  }
  return all.filter((p) => ours.has(p.pid));
}

function spawnDaemon(cluster, name, command, args) {
  const out = fs.openSync(path.join(cluster.dir, `${name}.out`), 'a');
  const child = spawn(command, args, { stdio: ['ignore', out, out], env: cluster.env });
  fs.closeSync(out);
  cluster.children.push({ name, child });
  cluster.pids.push(child.pid);
  child.on('exit', (code, signal) => {
    child.exitedWith = signal || code;
  });
  return child;
}

/** The last lines of a daemon's output, for error messages. */
function tail(cluster, name, lines = 15) {
  try {
    return fs
      .readFileSync(path.join(cluster.dir, `${name}.out`), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no output)';
  }
}

/** Runs a Slurm client command against this cluster; returns stdout (throws on failure). */
function client(cluster, command, args) {
  const run = spawnSync(command, args, { encoding: 'utf8', env: cluster.env });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${run.status}): ${(run.stderr || run.stdout || '').trim()}`);
  return run.stdout;
}

/**
 * Starts the cluster (see the module comment).
 * @param {object} [options]
 * @param {(line: string) => void} [options.log]
 * @returns {Promise<object>} { dir, conf, env (SLURM_CONF set), node, cpus, pids, stop(), leftovers(paths) }
 */
async function startCluster(options = {}) {
  const log = options.log || (() => {});
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    throw new Error(`the local Slurm cluster runs munged, slurmctld and slurmd as root: run this as root (user id ${process.getuid && process.getuid()})`);
  const startTicks = processInfo(process.pid).start;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-slurm-'));
  fs.chmodSync(dir, 0o700);
  const conf = path.join(dir, 'slurm.conf');
  const cluster = { dir, conf, env: { ...process.env, SLURM_CONF: conf }, children: [], pids: [], startTicks, stopped: false };
  cluster.stop = (paths) => stopCluster(cluster, log, paths);
  cluster.leftovers = (paths) => leftovers(cluster, paths);
  cluster.client = (command, args) => client(cluster, command, args);
  try {
    // 1–2. munge
    const munge = path.join(dir, 'munge');
    fs.mkdirSync(munge, { mode: 0o700 });
    const key = path.join(munge, 'munge.key');
    client(cluster, which('mungekey'), ['--create', `--keyfile=${key}`]);
    const socket = path.join(munge, 'munge.socket');
    spawnDaemon(cluster, 'munged', which('munged'), [
      '--foreground',
      '--force',
      `--key-file=${key}`,
      `--socket=${socket}`,
      `--pid-file=${path.join(munge, 'munged.pid')}`,
      `--log-file=${path.join(munge, 'munged.log')}`,
      `--seed-file=${path.join(munge, 'munged.seed')}`,
    ]);
    await waitFor(
      `munged to answer on ${socket}:\n${tail(cluster, 'munged')}`,
      20,
      () => spawnSync('munge', ['-n', '-S', socket], { stdio: 'ignore' }).status === 0,
    );
    // 3. slurm.conf
    const host = os.hostname().split('.')[0];
    const hardware = client(cluster, which('slurmd'), ['-C']).split('\n')[0].trim();
    if (!/^NodeName=\S+ CPUs=\d+/.test(hardware)) throw new Error(`slurmd -C printed no node line: ${hardware}`);
    const cpus = Number(/CPUs=(\d+)/.exec(hardware)[1]);
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    const lines = [
      '# one-node test cluster written by grokking-fss scripts/slurm-cluster.js',
      'ClusterName=grokfss-test',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${path.join(dir, 'slurmctld')}`,
      `SlurmdSpoolDir=${path.join(dir, 'slurmd')}`,
      `SlurmctldPidFile=${path.join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${path.join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${path.join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${path.join(dir, 'slurmd.log')}`,
      'MailProg=/bin/true',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'MpiDefault=none',
      'SchedulerType=sched/builtin',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      'KillWait=5',
      'MinJobAge=600',
      `${hardware.replace(/^NodeName=\S+/, `NodeName=${host}`)} NodeAddr=127.0.0.1 State=UNKNOWN`,
      `PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
    ];
    for (const sub of ['slurmctld', 'slurmd']) fs.mkdirSync(path.join(dir, sub), { mode: 0o700 });
    fs.writeFileSync(conf, `${lines.join('\n')}\n`);
    // 4. daemons
    spawnDaemon(cluster, 'slurmctld', which('slurmctld'), ['-D', '-f', conf]);
    spawnDaemon(cluster, 'slurmd', which('slurmd'), ['-D', '-f', conf, '-N', host]);
    await waitFor('the node to become idle', 60, () => {
      for (const { name, child } of cluster.children) {
        if (child.exitedWith !== undefined) throw new Error(`${name} exited (${child.exitedWith}):\n${tail(cluster, name)}`);
      }
      const run = spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { encoding: 'utf8', env: cluster.env });
      return run.status === 0 && run.stdout.trim() === 'idle';
    });
    log(`one-node Slurm cluster up: node ${host} (${cpus} CPUs), slurmctld port ${ctldPort}, slurmd port ${slurmdPort}, state in ${dir}`);
    return Object.assign(cluster, { node: host, cpus });
  } catch (error) {
    await stopCluster(cluster, log);
    throw error;
  }
}

/**
 * Stops what startCluster started (see the module comment); `paths` (e.g. the test's stores)
 * mark further processes as the cluster's. Returns the processes still alive (none expected).
 */
async function stopCluster(cluster, log = () => {}, paths = []) {
  if (cluster.stopped) return leftovers(cluster, paths);
  cluster.stopped = true;
  const slurmctld = cluster.children.find((c) => c.name === 'slurmctld');
  if (slurmctld && slurmctld.child.exitedWith === undefined) {
    spawnSync('scancel', ['--full', '--user', 'root'], { env: cluster.env, stdio: 'ignore', timeout: 10000 });
    // Give the cancelled jobs KillWait (5 s) and some to end the slurmd way.
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      const queue = spawnSync('squeue', ['-h', '-o', '%i'], { env: cluster.env, encoding: 'utf8', timeout: 10000 });
      if (queue.status !== 0 || queue.stdout.trim() === '') break;
      await sleep(250);
    }
  }
  // Jobs first (slurmd kills their processes), then slurmd, slurmctld, and munged last.
  for (const name of ['slurmd', 'slurmctld', 'munged']) {
    const entry = cluster.children.find((c) => c.name === name);
    if (!entry || entry.child.exitedWith !== undefined) continue;
    entry.child.kill('SIGTERM');
    const deadline = Date.now() + 15000;
    while (entry.child.exitedWith === undefined && Date.now() < deadline) await sleep(100);
    if (entry.child.exitedWith === undefined) {
      log(`${name} ignored SIGTERM for 15 s: SIGKILL`);
      entry.child.kill('SIGKILL');
      while (entry.child.exitedWith === undefined) await sleep(50);
    }
  }
  // Job steps outlive a stopped slurmd by design; ours are killed by pid.
  for (const p of leftovers(cluster, paths)) {
    try {
      process.kill(p.pid, 'SIGKILL');
      log(`killed leftover ${p.name} (pid ${p.pid})`);
    } catch {
      /* gone meanwhile */
    }
  }
  await sleep(200);
  fs.rmSync(cluster.dir, { recursive: true, force: true });
  return leftovers(cluster, paths);
}

module.exports = { startCluster, stopCluster, ensureSlurm, missingPrograms, aptCommand, DEBIAN_PACKAGES, DAEMON_NAMES };
