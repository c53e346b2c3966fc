import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// Backend choice is process-global, so each case runs in a child process.
const libIndex = path.resolve(__dirname, '../../lib/index.js');
function report(env: Record<string, string | undefined>): { status: number | null; stdout: string; stderr: string } {
  const script = `require(${JSON.stringify(libIndex)}).initBackend().then(r => { const { tf } = require(${JSON.stringify(libIndex)}); console.log(JSON.stringify({ ...r, sum: tf.tensor([1, 2, 3]).sum().dataSync()[0] })); }, e => { console.error(e.message); process.exit(3); });`;
  const child = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

test('automatic choice falls back past the missing native backend and computes', () => {
  const result = report({ GROKFSS_BACKEND: '' });
  assert.equal(result.status, 0, result.stderr);
  const parsed = JSON.parse(result.stdout.trim());
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(parsed.name));
  assert.equal(parsed.sum, 6);
  if (parsed.name !== 'tensorflow') assert.match(parsed.reason, /tensorflow unavailable/);
});

test('GROKFSS_BACKEND=cpu is honoured and prints no banner', () => {
  const result = report({ GROKFSS_BACKEND: 'cpu' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout.trim()).name, 'cpu');
  assert.doesNotMatch(result.stdout + result.stderr, /looks like you are running/);
});

test('an unknown GROKFSS_BACKEND is rejected with the allowed values', () => {
  const result = report({ GROKFSS_BACKEND: 'gpu' });
  assert.equal(result.status, 3);
  assert.match(result.stderr, /GROKFSS_BACKEND: got "gpu"; allowed values: "tensorflow", "wasm", "cpu"/);
});
