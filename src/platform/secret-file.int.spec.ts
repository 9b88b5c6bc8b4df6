import { spawn } from 'node:child_process';
import {
  chmodSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOrCreateSecretFile, SecretFileError } from './secret-file';
import { FROM_SOURCES } from '../../test/support/cli-process';

// Pass-through spies, so a test can see which descriptors were fsynced.
jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  return { ...actual, openSync: jest.fn(actual.openSync), fsyncSync: jest.fn(actual.fsyncSync) };
});

describe('readOrCreateSecretFile', () => {
  let root: string;
  let counter: number;
  const generate = (): string => `secret-${++counter}\n`;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-secret-file-'));
    counter = 0;
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the file once, with mode 0600 even under umask 000, in a new 0700 directory', () => {
    const path = join(root, 'data', 'secret');
    const previous = process.umask(0o000);
    let file;
    try {
      file = readOrCreateSecretFile(path, generate);
    } finally {
      process.umask(previous);
    }

    expect(file).toEqual({ path, content: 'secret-1\n', created: true, mode: 0o600 });
    expect(readFileSync(path, 'utf8')).toBe('secret-1\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'data')).mode & 0o777).toBe(0o700);
    // Written through a temporary file, which is gone afterwards.
    expect(readdirSync(join(root, 'data'))).toEqual(['secret']);
  });

  it('fsyncs the file and then its directory', () => {
    const path = join(root, 'secret');
    const open = jest.mocked(openSync);
    const fsync = jest.mocked(fsyncSync);
    open.mockClear();
    fsync.mockClear();

    readOrCreateSecretFile(path, generate);

    // Descriptors are reused after close, so each fsync is matched with the latest open before it.
    const synced = fsync.mock.calls.map(([fd], i) => {
      const order = fsync.mock.invocationCallOrder[i];
      const opens = open.mock.results.map((result, j) => ({ fd: result.value as number, j }));
      const latest = opens.filter((o) => o.fd === fd && open.mock.invocationCallOrder[o.j] < order).pop();
      return latest && String(open.mock.calls[latest.j][0]);
    });
    expect(synced).toHaveLength(2);
    expect(synced[0]).toMatch(/\.secret\.\d+\.[0-9a-f]+\.tmp$/);
    expect(synced[1]).toBe(root);
  });

  it('reads an existing file on later calls and never overwrites it', () => {
    const path = join(root, 'secret');
    const first = readOrCreateSecretFile(path, generate);

    const second = readOrCreateSecretFile(path, generate);

    expect(second).toEqual({ ...first, created: false });
    expect(counter).toBe(1);
  });

  it('reads a file that was there before, reporting its mode as found', () => {
    const path = join(root, 'secret');
    writeFileSync(path, 'given\n');
    chmodSync(path, 0o644);

    expect(readOrCreateSecretFile(path, generate)).toEqual({ path, content: 'given\n', created: false, mode: 0o644 });
    expect(readFileSync(path, 'utf8')).toBe('given\n');
  });

  it('refuses a path that is not a regular file', () => {
    const path = join(root, 'secret');
    mkdirSync(path);

    expect(() => readOrCreateSecretFile(path, generate)).toThrow(new SecretFileError(`${path} exists and is not a regular file`));
  });

  it('adopts the secret of a creator that linked first', () => {
    const path = join(root, 'secret');
    let rival;
    // The rival creates the file while this call is between its read and its link.
    const file = readOrCreateSecretFile(path, () => {
      rival = readOrCreateSecretFile(path, () => 'rival\n');
      return 'loser\n';
    });

    expect(rival).toMatchObject({ content: 'rival\n', created: true });
    expect(file).toEqual({ path, content: 'rival\n', created: false, mode: 0o600 });
    expect(readdirSync(root)).toEqual(['secret']);
  });

  it('leaves processes that start at once with one secret', async () => {
    const path = join(root, 'data', 'secret');
    const go = join(root, 'go');
    const creators = Array.from({ length: 4 }, () => startCreator(path, go));
    await Promise.all(creators.map((creator) => creator.ready));
    writeFileSync(go, '');

    const results = await Promise.all(creators.map((creator) => creator.done));

    const contents = new Set(results.map((result) => result.content));
    expect(contents.size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toBe([...contents][0]);
    expect(readdirSync(join(root, 'data'))).toEqual(['secret']);
  }, 60_000);
});

interface Creator {
  ready: Promise<void>;
  done: Promise<{ content: string; created: boolean }>;
}

/** A separate process that waits for the `go` file, then races for the secret and prints what it got. */
function startCreator(path: string, go: string): Creator {
  const script = `
    const fs = require('node:fs');
    const { randomBytes } = require('node:crypto');
    const { readOrCreateSecretFile } = require(${JSON.stringify(join(__dirname, 'secret-file.ts'))});
    process.stdout.write('ready\\n');
    while (!fs.existsSync(${JSON.stringify(go)})) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
    const file = readOrCreateSecretFile(${JSON.stringify(path)}, () => randomBytes(16).toString('hex'));
    process.stdout.write(JSON.stringify({ content: file.content, created: file.created }) + '\\n');
  `;
  const child = spawn(process.execPath, [...FROM_SOURCES, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.startsWith('ready\n')) markReady();
  });
  const done = new Promise<{ content: string; created: boolean }>((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`creator exited with ${code}`));
      resolve(JSON.parse(output.split('\n')[1]) as { content: string; created: boolean });
    });
  });
  return { ready, done };
}
