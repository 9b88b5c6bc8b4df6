#!/usr/bin/env node
// `npm run checks`: the static checks of `npm test` (type check, layer rules, lint, format), two at a
// time. Each is a single-threaded program, so one after another they leave a core of a 2-core
// machine idle for about half a minute. Each check's output is printed whole once it ends, in the
// order they end; the exit code is 1 if any failed, after all have run.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Longest first, so that the short ones fill in beside it.
const SCRIPTS = ['lint', 'typecheck', 'format:check', 'lint:layers'];
const PARALLEL = Math.max(2, availableParallelism() - 1);

function run(script) {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn('npm', ['run', '-s', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => (output += `${error.message}\n`));
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const verdict = code === 0 ? 'ok' : `FAILED (${signal ?? `exit ${code}`})`;
      process.stdout.write(`> npm run ${script}: ${verdict}, ${seconds} s\n${output}`);
      done(code === 0);
    });
  });
}

const queue = [...SCRIPTS];
const results = await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    const passed = [];
    for (let script = queue.shift(); script !== undefined; script = queue.shift()) passed.push(await run(script));
    return passed;
  }),
);
process.exit(results.flat().every(Boolean) ? 0 : 1);
