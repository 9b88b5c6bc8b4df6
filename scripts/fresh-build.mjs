// `npm start` runs the compiled server (node dist/main.js) so that npm's signals reach it. This
// check runs first (prestart) and rebuilds when dist/ is missing or older than its sources, so
// that nobody runs stale code without knowing. `npm run build` ends with `--stamp`, which marks
// the moment dist/ was complete. Plain JavaScript: it must run before anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
/** What `npm run build` compiles from: the sources (the console's web files included), its fonts and the compiler settings. */
const inputs = ['src', 'assets', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.console.json', 'nest-cli.json'];

/** The most recently changed file under the given paths. */
function newest(paths) {
  let found = { path: undefined, mtimeMs: 0 };
  for (const path of paths) {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) continue;
    if (stats.isDirectory()) {
      const inner = newest(readdirSync(path).map((name) => join(path, name)));
      if (inner.mtimeMs > found.mtimeMs) found = inner;
    } else if (stats.mtimeMs > found.mtimeMs) {
      found = { path, mtimeMs: stats.mtimeMs };
    }
  }
  return found;
}

/** Why dist/ cannot be run as it is, or undefined when it is current. */
function staleness() {
  if (!existsSync(join(root, 'dist', 'main.js')) || !existsSync(stamp)) return 'dist/ is missing or was not built by `npm run build`';
  const changed = newest(inputs.map((input) => join(root, input)));
  if (changed.mtimeMs > statSync(stamp).mtimeMs) return `${relative(root, changed.path)} changed after dist/ was built`;
  return undefined;
}

if (process.argv[2] === '--stamp') {
  writeFileSync(stamp, `built ${new Date().toISOString()}\n`);
} else {
  const reason = staleness();
  if (reason !== undefined) {
    process.stderr.write(`${reason}: running \`npm run build\` first (for a server that rebuilds on every change: npm run start:dev)\n`);
    // npm_execpath is the npm that runs this script; spawning it through node needs no shell.
    const npm = process.env.npm_execpath;
    const build =
      npm !== undefined
        ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
        : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) {
      process.stderr.write('the build failed; not starting a server from an outdated dist/\n');
      process.exit(1);
    }
  }
}
