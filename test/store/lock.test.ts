import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLock, inspectLock, LockBusyError, LockOwner, tryAcquireLock } from '../../lib/store/lock';
import { hostTag, isKnownDead, selfIdentity, temporaryName, temporaryOwner } from '../../lib/store/owner';
import { cached, cleanTemporary, entryDir, entryLockFile, entryLockStatus, entryScratchDir, writeEntry } from '../../lib/store/index';

const LOCK_JS = path.join(__dirname, '..', '..', 'lib', 'store', 'lock.js');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-lock-'));
}

/** Pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeOwner(file: string, owner: Partial<LockOwner>, ageSeconds = 0): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify({
      pid: 1,
      hostname: 'elsewhere',
      bootId: null,
      processStart: null,
      acquiredAt: new Date().toISOString(),
      token: 'other',
      purpose: 'test',
      ...owner,
    }),
  );
  const then = new Date(Date.now() - ageSeconds * 1000);
  fs.utimesSync(file, then, then);
}

test('a lock is exclusive, records its owner, and is released', () => {
  const file = path.join(tempDir(), 'a', 'x.lock');
  const lock = tryAcquireLock(file, { purpose: 'unit test' })!;
  assert.ok(lock);
  const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
  assert.equal(owner.pid, process.pid);
  assert.equal(owner.hostname, hostTag());
  assert.equal(owner.purpose, 'unit test');
  assert.equal(owner.token, lock.owner.token);
  assert.equal(tryAcquireLock(file), null, 'a second taker must not get a held lock');
  const status = inspectLock(file);
  assert.equal(status.state, 'held');
  assert.match(status.reason, new RegExp(`pid ${process.pid}`));
  lock.release();
  lock.release();
  assert.equal(fs.existsSync(file), false);
  assert.equal(inspectLock(file).state, 'free');
  // No temporary files left beside the lock.
  assert.deepEqual(fs.readdirSync(path.dirname(file)), []);
});

test('a lock of a dead process on this host is stale and broken; a live one on another host is not', () => {
  const dir = tempDir();
  const dead = path.join(dir, 'dead.lock');
  writeOwner(dead, { pid: deadPid(), hostname: hostTag(), token: 'dead' });
  assert.equal(inspectLock(dead).state, 'stale');
  const broken: string[] = [];
  const lock = tryAcquireLock(dead, { onStale: (_owner, reason) => broken.push(reason) });
  assert.ok(lock, 'the stale lock should have been broken');
  assert.equal(broken.length, 1);
  assert.match(broken[0], /no longer running/);
  lock!.release();

  // Another host: judged by its heartbeat only.
  const remote = path.join(dir, 'remote.lock');
  writeOwner(remote, { pid: process.pid, hostname: 'some-other-node' }, 10);
  assert.equal(inspectLock(remote, { staleAfterSeconds: 60 }).state, 'held');
  assert.equal(tryAcquireLock(remote, { staleAfterSeconds: 60, heartbeatSeconds: 1 }), null);
  writeOwner(remote, { pid: process.pid, hostname: 'some-other-node' }, 120);
  const status = inspectLock(remote, { staleAfterSeconds: 60 });
  assert.equal(status.state, 'stale');
  assert.match(status.reason, /no heartbeat for 12\d s/);

  // A recycled pid (this process's pid, but another start time) is stale too.
  const recycled = path.join(dir, 'recycled.lock');
  const me = selfIdentity();
  if (me.processStart !== null) {
    writeOwner(recycled, { pid: me.pid, hostname: me.hostname, bootId: me.bootId, processStart: me.processStart + 1 });
    assert.equal(inspectLock(recycled).state, 'stale');
    writeOwner(recycled, { pid: me.pid, hostname: me.hostname, bootId: me.bootId, processStart: me.processStart });
    assert.equal(inspectLock(recycled).state, 'held');
  }

  // An unreadable lock file is left alone while recent, broken once old.
  const garbage = path.join(dir, 'garbage.lock');
  fs.writeFileSync(garbage, '{not json');
  assert.equal(inspectLock(garbage).state, 'held');
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(garbage, old, old);
  assert.equal(inspectLock(garbage).state, 'stale');
  assert.ok(tryAcquireLock(garbage));
});

test('acquireLock waits for the holder, then takes the lock; gives up after waitSeconds naming the owner', async () => {
  const file = path.join(tempDir(), 'w.lock');
  const first = tryAcquireLock(file)!;
  await assert.rejects(
    acquireLock(file, { waitSeconds: 0.2, pollMs: 20 }),
    (e: unknown) => e instanceof LockBusyError && new RegExp(`held by pid ${process.pid} on host`).test(e.message),
  );
  const waits: Array<LockOwner | null> = [];
  setTimeout(() => first.release(), 150);
  const second = await acquireLock(file, { pollMs: 10, onWait: (owner) => waits.push(owner) });
  assert.equal(waits.length, 1);
  assert.equal(waits[0]!.token, first.owner.token);
  assert.notEqual(second.owner.token, first.owner.token);
  // Releasing a lock that is no longer ours leaves the new owner's file alone.
  writeOwner(file, { pid: process.pid, hostname: hostTag(), token: 'someone-else' });
  second.release();
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).token, 'someone-else');
  assert.throws(() => tryAcquireLock(file, { waitSecond: 1 } as never), /lock\.waitSecond: unknown option/);
  assert.throws(() => tryAcquireLock(file, { staleAfterSeconds: 10, heartbeatSeconds: 30 }), /lock\.staleAfterSeconds: must exceed heartbeatSeconds/);
});

test('the heartbeat keeps a long-held lock fresh', async () => {
  const file = path.join(tempDir(), 'h.lock');
  const lock = tryAcquireLock(file, { heartbeatSeconds: 0.05, staleAfterSeconds: 10 })!;
  const old = new Date(Date.now() - 5000);
  fs.utimesSync(file, old, old);
  const until = Date.now() + 60; // refresh() touches at most once per heartbeatSeconds
  while (Date.now() < until);
  lock.refresh();
  assert.ok(Date.now() - fs.statSync(file).mtimeMs < 2000, 'refresh() should have touched the lock');
  fs.utimesSync(file, old, old);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(Date.now() - fs.statSync(file).mtimeMs < 2000, 'the timer should have touched the lock');
  lock.release();
});

test('real processes: mutual exclusion, and a stale lock broken by racing processes is taken by one at a time', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'shared.lock');
  const log = path.join(dir, 'log.txt');
  // Start from a stale lock left by a dead process: all children race to break it.
  writeOwner(file, { pid: deadPid(), hostname: hostTag(), token: 'stale' });
  const rounds = 6;
  const script = `
    const fs = require('node:fs');
    const { acquireLock } = require(${JSON.stringify(LOCK_JS)});
    (async () => {
      for (let r = 0; r < ${rounds}; r++) {
        const lock = await acquireLock(${JSON.stringify(file)}, { pollMs: 2 });
        fs.appendFileSync(${JSON.stringify(log)}, 'enter ' + process.pid + '\\n');
        const until = Date.now() + 15;
        while (Date.now() < until) {}
        fs.appendFileSync(${JSON.stringify(log)}, 'leave ' + process.pid + '\\n');
        lock.release();
      }
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const children = Array.from({ length: 4 }, () => spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] }));
  const codes = await Promise.all(
    children.map(
      (child) =>
        new Promise<number | null>((resolve) => {
          let err = '';
          child.stderr!.on('data', (d) => (err += d));
          child.on('exit', (code) => {
            if (code !== 0) process.stderr.write(err);
            resolve(code);
          });
        }),
    ),
  );
  assert.deepEqual(codes, [0, 0, 0, 0]);
  const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
  assert.equal(lines.length, 2 * 4 * rounds);
  for (let i = 0; i < lines.length; i += 2) {
    const [enter, pidIn] = lines[i].split(' ');
    const [leave, pidOut] = lines[i + 1].split(' ');
    assert.equal(enter, 'enter', `line ${i}: ${lines[i]}`);
    assert.equal(leave, 'leave', `line ${i + 1}: ${lines[i + 1]}`);
    assert.equal(pidIn, pidOut, `critical sections overlap at line ${i}`);
  }
  assert.equal(fs.existsSync(file), false);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['log.txt']);
});

test('temporary names carry their owner; cleaning removes only what dead or long-gone writers left', () => {
  const name = temporaryName('.0123456789abcdef');
  assert.deepEqual(temporaryOwner(name), { pid: process.pid, hostname: hostTag() });
  assert.deepEqual(temporaryOwner('state.bin.tmp-42@node-07.cluster-0a1b2c3d'), { pid: 42, hostname: 'node-07.cluster' });
  assert.equal(temporaryOwner('0123456789abcdef'), null);
  assert.equal(isKnownDead({ pid: process.pid, hostname: hostTag() }), false);

  const root = tempDir();
  const stageDir = path.dirname(entryDir('train', { x: 1 }, root));
  fs.mkdirSync(stageDir, { recursive: true });
  const dead = deadPid();
  const mine = path.join(stageDir, temporaryName('.aaaaaaaaaaaaaaaa'));
  const killed = path.join(stageDir, `.bbbbbbbbbbbbbbbb.tmp-${dead}@${hostTag()}-0a1b2c3d`);
  const remote = path.join(stageDir, `.cccccccccccccccc.tmp-${dead}@other-node-0a1b2c3d`);
  const oldStyleRecent = path.join(stageDir, '.tmp-dddddddddddddddd-1-ff');
  const oldStyleOld = path.join(stageDir, '.tmp-eeeeeeeeeeeeeeee-1-ff');
  for (const d of [mine, killed, remote, oldStyleRecent, oldStyleOld]) fs.mkdirSync(d);
  const twoHoursAgo = new Date(Date.now() - 7200_000);
  fs.utimesSync(oldStyleOld, twoHoursAgo, twoHoursAgo);
  // A checkpoint temp file of a killed writer, one level down in a scratch folder.
  const scratch = entryScratchDir('train', 'ffffffffffffffff', root);
  fs.mkdirSync(scratch, { recursive: true });
  const killedFile = path.join(scratch, `state.bin.tmp-${dead}@${hostTag()}-0a1b2c3d`);
  fs.writeFileSync(killedFile, 'x');
  assert.equal(cleanTemporary(root), 3);
  assert.deepEqual(
    [mine, killed, remote, oldStyleRecent, oldStyleOld, killedFile].map((p) => fs.existsSync(p)),
    [true, false, true, true, false, false],
  );
  fs.utimesSync(remote, twoHoursAgo, twoHoursAgo);
  assert.equal(cleanTemporary(root), 1);
  assert.equal(fs.existsSync(remote), false);
  assert.equal(fs.existsSync(scratch), true, 'the scratch folder of an incomplete entry is kept (it may be resumed)');
});

test('scratch folders of complete entries are removed, unless a writer holds the entry lock', async () => {
  const root = tempDir();
  const dir = writeEntry('train', { s: 1 }, { 'a.txt': 'a' }, { root });
  const key = path.basename(dir);
  const scratch = entryScratchDir('train', key, root);
  fs.mkdirSync(scratch, { recursive: true });
  fs.writeFileSync(path.join(scratch, 'state.bin'), 'x');
  const lock = tryAcquireLock(entryLockFile('train', key, root))!;
  assert.equal(entryLockStatus('train', key, { root }).state, 'held');
  assert.equal(cleanTemporary(root), 0);
  assert.ok(fs.existsSync(scratch));
  lock.release();
  assert.equal(entryLockStatus('train', key, { root }).state, 'free');
  assert.equal(cleanTemporary(root), 1);
  assert.equal(fs.existsSync(scratch), false);
  // cached() on a fresh root leaves no lock behind, and removes scratch via afterWrite.
  const again = await cached('stats', { b: 2 }, () => ({ 'b.txt': 'b' }), {
    root,
    afterWrite: (entry) => fs.writeFileSync(path.join(root, 'after.txt'), entry.key),
  });
  assert.equal(fs.readFileSync(path.join(root, 'after.txt'), 'utf8'), again.entry.key);
  assert.equal(entryLockStatus('stats', again.entry.key, { root }).state, 'free');
});
