/**
 * Stops the CLI when the npm process that launched it is gone.
 *
 * `npx grokking-fss …` and `npm run cli -- …` start the CLI as npm → sh → node. npm passes
 * SIGINT/SIGTERM on to the shell only, which dies without passing them on, and nothing can pass
 * on SIGKILL: the trainer would go on as an orphan. So when started by npm (the environment has
 * `npm_command`), the CLI notes the chain of its ancestors up to the npm process and exits as
 * soon as one of them is gone (checked every second, and whenever {@link LauncherWatch.check}
 * is called, e.g. from progress reports while training blocks the event loop). Linux only
 * (/proc); elsewhere, and when started directly (node_modules/.bin/grokking-fss), nothing is
 * watched. Checkpoints are written atomically and locks of dead processes are broken, so a
 * rerun resumes where the run stopped.
 */
import * as fs from 'node:fs';
import { procStat } from '../store/owner';

function parentOf(pid: number): number | null {
  const ppid = Number(procStat(pid)?.[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
}

function isNpm(pid: number): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    // npm sets its process title to "npm <command> …"; otherwise argv holds …/npm-cli.js or …/npx-cli.js.
    return /^(npm|npx)( |$)/.test(argv[0]) || argv.slice(0, 2).some((a) => /(^|\/)(npm|npx)(-cli\.js)?$/.test(a));
  } catch {
    return false;
  }
}

/**
 * The launching chain: pids from this process's parent up to the npm process that started it
 * (at most 4 levels), or [] when not started by npm or /proc is unavailable.
 */
export function launcherChain(env: NodeJS.ProcessEnv = process.env): number[] {
  if (!env.npm_command) return [];
  const chain: number[] = [];
  let pid: number | null = process.ppid;
  for (let level = 0; level < 4 && pid !== null && pid > 1; level++) {
    chain.push(pid);
    if (isNpm(pid)) return chain;
    pid = parentOf(pid);
  }
  return [];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process stays a zombie until its parent reaps it: count that as gone.
  return procStat(pid)?.[0] !== 'Z';
}

/** A running watch (see the module comment). */
export interface LauncherWatch {
  /** The watched pids (empty: nothing is watched). */
  chain: number[];
  /** Checks now (at most once per 200 ms); calls onGone if a launcher is gone. */
  check(): void;
  stop(): void;
}

/** Watches the launching chain; `onGone` is called once, with the pid that disappeared. */
export function watchLauncher(onGone: (pid: number) => void, env: NodeJS.ProcessEnv = process.env): LauncherWatch {
  const chain = launcherChain(env);
  let fired = false;
  let last = 0;
  const check = (): void => {
    if (fired || chain.length === 0) return;
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    const gone = process.ppid !== chain[0] ? chain[0] : chain.find((pid) => !alive(pid));
    if (gone !== undefined) {
      fired = true;
      onGone(gone);
    }
  };
  const timer = chain.length > 0 ? setInterval(check, 1000) : null;
  timer?.unref();
  return { chain, check, stop: () => timer && clearInterval(timer) };
}
