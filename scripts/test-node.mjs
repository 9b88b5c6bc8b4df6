#!/usr/bin/env node
// `npm run test:node -- <major> [arguments for jest]`: the whole suite under another Node.js line.
//
// Node itself comes from the npm registry (the node-<platform>-<arch> package ships the binary and
// its headers), kept in .cache/node/<version>/. The project is copied to .cache/test-node/<major>/
// (the files git knows of, uncommitted changes included; never node_modules), installed there
// with `npm ci` under that Node, so native modules are built for it, then tested with `npm test`.
// Arguments after the major go to jest, e.g. `npm run test:node -- 24 --selectProjects unit integration`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.cache');
const USAGE = 'Usage: npm run test:node -- <major> [arguments for jest]   e.g. npm run test:node -- 24 --selectProjects unit integration\n';

function fail(message, code = 1) {
  process.stderr.write(`test:node: ${message}\n`);
  process.exit(code);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${command} ${args.join(' ')}: ${result.error.message}`);
  return result.status ?? 1;
}

function output(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  return result.stdout;
}

const byVersion = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/** The newest release of that line on the registry, unpacked once into .cache/node/<version>/. */
function installNode(pkg, major) {
  const listed = JSON.parse(output('npm', ['view', `${pkg}@${major}`, 'version', '--json']) || 'null');
  const versions = (Array.isArray(listed) ? listed : [listed]).filter((v) => typeof v === 'string' && /^\d+\.\d+\.\d+$/.test(v));
  if (versions.length === 0) fail(`the registry has no ${pkg}@${major}`);
  const version = versions.sort(byVersion).at(-1);
  const home = join(CACHE, 'node', version);
  const binary = join(home, 'bin', 'node');
  if (!existsSync(binary)) {
    process.stderr.write(`test:node: fetching ${pkg}@${version} into ${relative(ROOT, home)}/\n`);
    const download = mkdtempSync(join(tmpdir(), 'test-node-'));
    try {
      output('npm', ['pack', `${pkg}@${version}`, '--pack-destination', download, '--silent']);
      const tarball = readdirSync(download).find((f) => f.endsWith('.tgz'));
      rmSync(home, { recursive: true, force: true });
      mkdirSync(home, { recursive: true });
      if (run('tar', ['-xzf', join(download, tarball), '-C', home, '--strip-components=1']) !== 0) fail(`could not unpack ${tarball}`);
    } finally {
      rmSync(download, { recursive: true, force: true });
    }
  }
  const reported = output(binary, ['--version']).trim();
  if (reported !== `v${version}`) fail(`${binary} says ${reported}, expected v${version}`);
  if (!existsSync(join(home, 'include', 'node', 'node.h')))
    fail(`${pkg}@${version} has no include/node headers to build native modules with`);
  return { version, home };
}

/** A fresh copy of the project: what git tracks or would track, as it is on disk now. */
function copyProject(target) {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status === 0) {
    for (const file of listed.stdout.split('\0').filter(Boolean)) {
      const from = join(ROOT, file);
      if (!existsSync(from)) continue; // deleted, not yet committed
      mkdirSync(dirname(join(target, file)), { recursive: true });
      cpSync(from, join(target, file), { verbatimSymlinks: true });
    }
    return;
  }
  // Not a git checkout: everything but installed, built and cached things.
  const skip = new Set(['node_modules', '.cache', '.git', 'dist', 'coverage', 'test-output', 'data']);
  cpSync(ROOT, target, { recursive: true, filter: (from) => !skip.has(from.split('/').pop()) });
}

const [major, ...jestArgs] = process.argv.slice(2);
if (!major || !/^\d+$/.test(major)) {
  process.stderr.write(USAGE);
  process.exit(2);
}

const started = performance.now();
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(0)} s`;
const node = installNode(`node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`, major);
const copy = join(CACHE, 'test-node', major);
copyProject(copy);

// Only this run's settings: nothing inherited from the `npm run` that started this script, which
// would point npm back at this checkout or at this machine's Node. nodedir: native modules are
// built against that Node's own headers (npm's default here may be the system's).
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'));
env.PATH = `${join(node.home, 'bin')}:${env.PATH ?? ''}`;
env.npm_config_nodedir = node.home;
const inCopy = { cwd: copy, env };

process.stderr.write(`test:node: Node ${node.version}, copy in ${relative(ROOT, copy)}/: npm ci\n`);
const installStarted = performance.now();
if (run('npm', ['ci', '--no-audit', '--no-fund'], inCopy) !== 0) fail(`npm ci failed under Node ${node.version}`);
const running = output('node', ['-p', 'process.version + " " + process.versions.modules'], inCopy).trim();
process.stderr.write(`test:node: installed in ${seconds(installStarted)} (node on PATH: ${running}, ABI); npm test\n`);

const testStarted = performance.now();
const status = run('npm', ['test', ...(jestArgs.length ? ['--', ...jestArgs] : [])], inCopy);
process.stderr.write(
  `test:node: Node ${node.version}: npm test ${status === 0 ? 'passed' : `failed (exit ${status})`} in ${seconds(testStarted)}; ` +
    `${seconds(started)} in all\n`,
);
process.exit(status);
