import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDEMPOTENCY_SECRET_FILE, IdempotencySecretError, keyedFingerprint, loadIdempotencyKeys } from './idempotency-secret';

describe('loadIdempotencyKeys', () => {
  let dataDir: string;
  let path: string;
  const digest = 'e'.repeat(64);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-idempotency-secret-'));
    path = join(dataDir, IDEMPOTENCY_SECRET_FILE);
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates a 256-bit secret with mode 0600 on first use and reuses it afterwards', () => {
    const first = loadIdempotencyKeys(dataDir);

    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(keyedFingerprint(loadIdempotencyKeys(dataDir), digest)).toBe(keyedFingerprint(first, digest));
  });

  it('keeps the keys out of what a log line or JSON of them would show', () => {
    loadIdempotencyKeys(dataDir);
    const secret = readFileSync(path, 'utf8').trim();

    expect(JSON.stringify(loadIdempotencyKeys(dataDir))).not.toContain(secret);
  });

  // The check reads the mode bits, so it holds for root too.
  it('refuses a secret that others can read, naming the chmod that fixes it', () => {
    loadIdempotencyKeys(dataDir);
    chmodSync(path, 0o644);

    expect(() => loadIdempotencyKeys(dataDir)).toThrow(
      new IdempotencySecretError(`idempotency secret ${path} is readable by group and others (mode 0644); run: chmod 600 ${path}`),
    );
  });

  it.each([
    ['too short', Buffer.alloc(16, 1).toString('base64')],
    ['not base64', `${'x'.repeat(43)}!`],
  ])('refuses a secret file that is %s, without echoing it', (_case, content) => {
    writeFileSync(path, `${content}\n`, { mode: 0o600 });

    let error: unknown;
    try {
      loadIdempotencyKeys(dataDir);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(IdempotencySecretError);
    expect((error as Error).message).toContain(`${path} must hold the base64 of exactly 32 bytes`);
    expect((error as Error).message).not.toContain(content);
  });
});
