import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

/**
 * The peer store (Emmett's SQLite event store and the sqlite3 native module it drives) is a
 * package of its own in bench/peer, not a dependency of the ledger: it doubled the time of
 * `npm ci` (sqlite3 compiles a second SQLite) for a comparison only the bench makes. The bench
 * installs it on first use, once, into bench/peer/node_modules, from bench/peer's lockfile.
 */
export const PEER_DIR = resolve(__dirname, '..', 'peer');
const PEER_MODULES = ['@event-driven-io/emmett-sqlite', 'sqlite3'] as const;

export function peerInstalled(dir: string = PEER_DIR): boolean {
  return PEER_MODULES.every((name) => existsSync(join(dir, 'node_modules', ...name.split('/'), 'package.json')));
}

/** Loads one of the peer's modules from bench/peer/node_modules (never from the ledger's own). */
export function requirePeer<T>(name: (typeof PEER_MODULES)[number], dir: string = PEER_DIR): T {
  return createRequire(join(dir, 'package.json'))(name) as T;
}

/** The version of a peer package as installed (its exports map hides package.json from require). */
export function peerPackageVersion(name: (typeof PEER_MODULES)[number], dir: string = PEER_DIR): string {
  const manifest = join(dir, 'node_modules', ...name.split('/'), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * Runs `npm ci` in bench/peer when the peer is not there yet. npm's output goes to stderr, as
 * the bench's progress does: stdout carries only the table.
 */
export function ensurePeerInstalled(log: (line: string) => void, dir: string = PEER_DIR): void {
  if (peerInstalled(dir)) return;
  log(
    'the peer store (@event-driven-io/emmett-sqlite with sqlite3) is not installed yet: installing it once into bench/peer/node_modules ' +
      '(npm ci from bench/peer/package-lock.json; needs the registry and builds sqlite3, a few minutes)',
  );
  // Under `npm run`, npm_execpath is the npm that started the bench: use it, with this very Node.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli?.endsWith('.js')
    ? [process.execPath, [npmCli, 'ci', '--no-audit', '--no-fund']]
    : [process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund']];
  const result = spawnSync(command, args, { cwd: dir, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.status !== 0 || !peerInstalled(dir)) {
    throw new Error(
      `installing the peer into ${join(dir, 'node_modules')} failed (npm ci exited with ${result.status ?? result.signal}); ` +
        'run `npm ci` in bench/peer to see why, or leave the peer out with --only',
    );
  }
  log('the peer store is installed');
}
