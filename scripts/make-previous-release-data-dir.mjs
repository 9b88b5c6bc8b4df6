#!/usr/bin/env node
/**
 * Makes the data dir of the release before personal-data sealing (issue #17) as that release
 * itself wrote it: checks its commit out into a temporary git worktree, starts its real server on
 * an empty data dir, records a realistic life of three seizures over HTTP, waits until the tree
 * heads cover every event, stops the server with SIGTERM and copies the whole data dir into
 * test/fixtures/data-dirs/<release-id>/data with a manifest beside it.
 *
 *   node scripts/make-previous-release-data-dir.mjs [commit]
 *
 * The old release's package-lock.json is compared with this checkout's: when they are equal (they
 * are for the default commit) its worktree links this checkout's node_modules instead of installing.
 * Seizure ids and every value sent are fixed; event ids, instants, keys and hashes are not, so a
 * new run makes a different (equally valid) fixture, and test/e2e/previous-release-data-dir.e2e.spec.ts
 * reads what it expects from the manifest.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The last commit on main before "Merge personal-data sealing wired end to end": no envelopes column, no key store. */
const DEFAULT_COMMIT = 'f330f65a00b65f7d40c3c8872c91094462bcd3df';
/** The same test-only secret as src/auth/auth.test-support.ts: the current server's tests mint tokens with it. */
const JWT_SECRET = 'test-only-secret-of-the-seizure-custody-ledger-0123456789';

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const log = (message) => process.stderr.write(`${message}\n`);

const commit = git('rev-parse', '--verify', `${process.argv[2] ?? DEFAULT_COMMIT}^{commit}`);
const releaseId = `${commit.slice(0, 7)}-before-sealing`;
const fixtureDir = join(ROOT, 'test', 'fixtures', 'data-dirs', releaseId);

function linkOrInstallDependencies() {
  const lock = (dir) => readFileSync(join(dir, 'package-lock.json'), 'utf8');
  if (lock(checkout) === lock(ROOT)) {
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(checkout, 'node_modules'), 'dir');
    log('same package-lock.json: the old release runs on this checkout node_modules');
  } else {
    log('the old release locks other packages: npm ci in its worktree');
    execFileSync('npm', ['ci', '--ignore-scripts'], { cwd: checkout, stdio: 'inherit' });
  }
}

function startServer(port) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC' };
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    LEDGER_DATA_DIR: dataDir,
    JWT_SECRET,
    LOG_LEVEL: 'warn',
    TREE_HEAD_INTERVAL_SECONDS: '1',
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_BURST_PER_SECOND: '100000',
  });
  // Under umask 077, as the README asks of an operator: the files are made private, as a real data dir's are.
  const child = spawn(
    '/bin/sh',
    ['-c', 'umask 077 && exec "$@"', 'sh', process.execPath, '-r', 'ts-node/register/transpile-only', 'src/main.ts'],
    {
      cwd: checkout,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  child.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return child;
}

async function stopServer() {
  server.kill('SIGTERM');
  const { code, signal } = await server.exited;
  if (code !== 0) throw new Error(`the old server did not stop cleanly (code ${code}, signal ${signal})`);
}

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Tokens and HTTP

const district = { national: false, states: [], districts: ['UP-VNS'] };
const actors = {
  flyingSquad: { sub: 'u-fs-officer', name: 'Asha Verma', roles: ['officer'], unit: 'FS-VNS-03', agency: 'flying_squad', scope: district },
  treasuryOfficer: { sub: 'u-tr-1', name: 'Sunita Devi', roles: ['treasury'], unit: 'TR-VNS', agency: 'treasury', scope: district },
  treasuryAccountant: { sub: 'u-tr-2', name: 'Prakash Jha', roles: ['treasury'], unit: 'TR-VNS', agency: 'treasury', scope: district },
  malkhana: { sub: 'u-mk-1', name: 'Head Constable Yadav', roles: ['custodian'], unit: 'MK-VNS-EXCISE', agency: 'excise', scope: district },
  police: { sub: 'u-ps-1', name: 'SHO Cantt', roles: ['officer'], unit: 'PS-VNS-CANTT', agency: 'police', scope: district },
  incomeTax: { sub: 'u-it-1', name: 'ITO Ward 2', roles: ['officer'], unit: 'IT-VNS', agency: 'income_tax', scope: district },
  committee: { sub: 'u-dgc-1', name: 'CDO Varanasi', roles: ['committee'], unit: 'DGC-VNS', agency: 'election_office', scope: district },
  court: { sub: 'u-court-1', name: 'CJM Varanasi', roles: ['court'], unit: 'COURT-CJM-VNS', agency: 'court', scope: { national: true } },
};

function token(actor) {
  const iat = Math.floor(Date.now() / 1000);
  const scope = actor.scope.national ? { national: true } : { states: actor.scope.states, districts: actor.scope.districts };
  const claims = { ...actor, scope, iss: 'seizure-custody-ledger', aud: 'seizure-custody-ledger', iat, exp: iat + 3600, jti: randomUUID() };
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${input}.${createHmac('sha256', JWT_SECRET).update(input).digest('base64url')}`;
}

function client(base) {
  const call = async (method, path, actor, body, contentType = 'application/json') => {
    const headers = { Authorization: `Bearer ${token(actor)}` };
    if (body !== undefined) headers['Content-Type'] = contentType;
    // As a field client retrying over a bad network sends them: the old idempotency store keeps records too.
    if (method === 'POST') headers['Idempotency-Key'] = randomUUID();
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === '' ? {} : JSON.parse(text);
  };
  return {
    base,
    get: (path, actor) => call('GET', path, actor),
    post: (path, actor, body) => call('POST', path, actor, body),
    upload: (path, actor, bytes, contentType) => call('POST', path, actor, bytes, contentType),
  };
}

async function waitForHealth(api) {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error('the old server exited during start-up');
    try {
      if ((await fetch(`${api.base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the old server did not answer /health within a minute');
}

async function waitForTreeHeads(api, lastPosition) {
  for (let i = 0; i < 600; i++) {
    const health = await (await fetch(`${api.base}/health`)).json();
    const head = await fetch(`${api.base}/evidence/tree-heads/latest`, { headers: { Authorization: `Bearer ${token(actors.court)}` } });
    const latest = head.ok ? await head.json() : undefined;
    if (health.projector?.position >= lastPosition && latest?.treeSize === lastPosition) return latest;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the old server signed no tree head over every event within a minute');
}

// ---------------------------------------------------------------------------------------------
// What is recorded: fixed ids and values, so that the test can name them.

const SEIZURES = {
  /** Cash: valued, handed to the treasury, deposited, referred and cleared, ordered released and released, corrected, one photo. */
  cash: '7d1c3a52-0000-4000-8000-000000000001',
  /** Liquor: handed to the excise malkhana, an FIR registered; still held, for new commands after the upgrade. */
  liquor: '7d1c3a52-0000-4000-8000-000000000002',
  /** A handover refused for a broken seal: the transfer rejected, the items still with the team. */
  rejected: '7d1c3a52-0000-4000-8000-000000000003',
};

const TRANSFERS = {
  cash: '7d1c3a52-0000-4000-8000-0000000000a1',
  liquor: '7d1c3a52-0000-4000-8000-0000000000a2',
  beer: '7d1c3a52-0000-4000-8000-0000000000a3',
};

const SEIZED_FROM = {
  name: 'रमेश चंद्र',
  idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' },
  address: 'Sigra, Varanasi',
  phone: '+919800000000',
};
const WITNESSES = [
  { name: 'Mohan Lal', address: 'Cantt, Varanasi' },
  { name: 'Shabana Bano', address: 'Lahurabir, Varanasi' },
];
const RELEASED_TO = { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' } };
const FREE_TEXT = {
  valuationReason: 'Bottles counted by Mohan Lal before the magistrate',
  acceptRemarks: 'counted by machine, 2500 notes, in the presence of Shabana Bano',
  correction: 'The person seized from is Ramesh Chandra Gupta, son of Shyam Lal',
};

function seizure(seizureId, memoNumber, items) {
  return {
    seizureId,
    memoNumber,
    seizedAt: '2024-04-19T05:30:00.000Z',
    location: {
      state: 'UP',
      district: 'UP-VNS',
      assemblyConstituency: 390,
      parliamentaryConstituency: 77,
      latitude: 25.3176,
      longitude: 82.9739,
      place: 'चेक पोस्ट, मुग़लसराय रोड',
    },
    team: 'Flying Squad 3, Varanasi Cantt',
    magistrate: { name: 'श्री आर. के. मिश्रा', designation: 'Executive Magistrate' },
    seizedFrom: SEIZED_FROM,
    vehicleNumber: 'UP65AB1234',
    witnesses: WITNESSES,
    media: [{ kind: 'video', sha256: 'a'.repeat(64) }],
    election: { id: 'GE-2024', name: 'General Election to Lok Sabha 2024', pollDate: '2024-06-01' },
    linkedToCandidateOrParty: false,
    items,
  };
}

const cashItem = {
  itemId: 'item-cash',
  category: 'cash',
  description: 'Rs 500 notes, 2500 pieces',
  quantity: 125_000_000,
  unit: 'paise',
  packages: 1,
  sealNumbers: ['S-1001'],
  estimatedValuePaise: 125_000_000,
};
const liquorItem = {
  itemId: 'item-liquor',
  category: 'liquor',
  description: 'Whisky, 64 bottles of 750 ml',
  quantity: 48_000,
  unit: 'ml',
  packages: 4,
  sealNumbers: ['S-1002', 'S-1003'],
  estimatedValuePaise: 4_800_000,
};
const treasury = { kind: 'treasury', id: 'TR-VNS', name: 'District Treasury Varanasi' };
const malkhana = { kind: 'excise_warehouse', id: 'MK-VNS-EXCISE', name: 'Excise malkhana Varanasi' };

async function recordSeizures(api) {
  const at = (id, path) => `/seizures/${id}${path}`;
  const { flyingSquad: fs } = actors;
  let lastPosition = 0;
  const post = async (path, actor, body) => {
    const answer = await api.post(path, actor, body);
    lastPosition = Math.max(lastPosition, answer.globalPosition ?? 0);
    return answer;
  };

  const cash = SEIZURES.cash;
  const recorded = await post('/seizures', fs, seizure(cash, 'FS3/VNS/2024/117', [cashItem]));
  await post(at(cash, '/valuations'), fs, {
    valuations: [{ itemId: 'item-cash', valuePaise: 125_000_000 }],
    basis: 'face value',
    reason: 'notes counted twice',
  });
  await post(at(cash, '/transfers'), fs, {
    transferId: TRANSFERS.cash,
    itemIds: ['item-cash'],
    to: treasury,
    sealNumbers: ['S-1001'],
    reason: 'cash to the district treasury',
  });
  await post(at(cash, `/transfers/${TRANSFERS.cash}/accept`), actors.treasuryOfficer, {
    seals: [{ number: 'S-1001', condition: 'intact' }],
    countedQuantities: [{ itemId: 'item-cash', quantity: 125_000_000 }],
    remarks: FREE_TEXT.acceptRemarks,
  });
  await post(at(cash, '/deposits'), actors.treasuryOfficer, {
    challanNumber: 'CH-2024-88',
    treasury: { id: 'TR-VNS', name: 'District Treasury Varanasi' },
    itemIds: ['item-cash'],
    amountPaise: 125_000_000,
    depositedOn: '2024-04-20',
  });
  await post(at(cash, '/deposits/CH-2024-88/confirm'), actors.treasuryAccountant, {
    confirmedAmountPaise: 125_000_000,
    remarks: 'credited to the deposit head',
  });
  await post(at(cash, '/income-tax-referrals'), fs, {
    referenceNumber: 'IT/VNS/2024/31',
    office: 'Income Tax nodal officer, Varanasi',
    remarks: 'above Rs 10 lakh',
  });
  await post(at(cash, '/income-tax-clearances'), actors.incomeTax, { clearanceNumber: 'IT-CLR-55', remarks: 'returns filed; no action' });
  await post(at(cash, '/release-orders'), actors.committee, {
    orderNumber: 'DGC-VNS-7',
    orderedOn: '2024-04-21',
    itemIds: ['item-cash'],
    releaseTo: { name: RELEASED_TO.name },
    reasons: 'No FIR; cash proved to be business receipts of the day',
  });
  await post(at(cash, '/releases'), actors.treasuryOfficer, {
    orderNumber: 'DGC-VNS-7',
    itemIds: ['item-cash'],
    releasedTo: RELEASED_TO,
    identityChecked: true,
    remarks: 'released against receipt',
  });
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(512, 7), Buffer.from([0xff, 0xd9])]);
  const query = new URLSearchParams({ fileName: 'memo-signed-by-ramesh.jpg', description: 'Seizure memo signed by Ramesh Chandra' });
  lastPosition = Math.max(lastPosition, (await api.upload(at(cash, `/attachments?${query}`), fs, photo, 'image/jpeg')).globalPosition ?? 0);
  await post(at(cash, '/corrections'), fs, {
    correctsEventId: recorded.events[0].eventId,
    whatWasWrong: 'seizedFrom.name was written short',
    correction: FREE_TEXT.correction,
    reason: 'name read again from his Aadhaar card',
  });

  const liquor = SEIZURES.liquor;
  await post('/seizures', fs, seizure(liquor, 'FS3/VNS/2024/118', [liquorItem]));
  await post(at(liquor, '/valuations'), fs, {
    valuations: [{ itemId: 'item-liquor', valuePaise: 5_120_000 }],
    basis: 'MRP',
    reason: FREE_TEXT.valuationReason,
  });
  await post(at(liquor, '/transfers'), fs, {
    transferId: TRANSFERS.liquor,
    itemIds: ['item-liquor'],
    to: malkhana,
    sealNumbers: ['S-1002', 'S-1003'],
    reason: 'case property',
  });
  await post(at(liquor, `/transfers/${TRANSFERS.liquor}/accept`), actors.malkhana, {
    seals: [
      { number: 'S-1002', condition: 'intact' },
      { number: 'S-1003', condition: 'intact' },
    ],
    countedQuantities: [{ itemId: 'item-liquor', quantity: 48_000 }],
    remarks: '64 bottles',
  });
  await post(at(liquor, '/firs'), actors.police, {
    firNumber: '112/2024',
    policeStation: 'Cantt, Varanasi',
    registeredOn: '2024-04-20',
    sections: ['60 UP Excise Act'],
  });

  const rejected = SEIZURES.rejected;
  await post(
    '/seizures',
    fs,
    seizure(rejected, 'FS3/VNS/2024/119', [{ ...liquorItem, itemId: 'item-beer', description: 'Beer, 24 cans' }]),
  );
  await post(at(rejected, '/transfers'), fs, {
    transferId: TRANSFERS.beer,
    itemIds: ['item-beer'],
    to: malkhana,
    sealNumbers: ['S-1002'],
    reason: 'case property',
  });
  await post(at(rejected, `/transfers/${TRANSFERS.beer}/reject`), actors.malkhana, { reason: 'seal S-1002 broken on arrival' });

  return { lastPosition };
}

// ---------------------------------------------------------------------------------------------
// The fixture

function writeFixture(recorded, latestHead, publicKey) {
  for (const name of readdirSync(dataDir)) {
    if (/-(wal|shm|journal)$/.test(name))
      throw new Error(`${name} left in the data dir after a clean stop: the copy would not be consistent`);
  }
  rmSync(fixtureDir, { recursive: true, force: true });
  mkdirSync(fixtureDir, { recursive: true });
  const target = join(fixtureDir, 'data');
  cpSync(dataDir, target, { recursive: true });
  const files = listFiles(dataDir).map((path) => {
    const stats = statSync(join(dataDir, path));
    return { path, bytes: stats.size, mode: (stats.mode & 0o777).toString(8).padStart(4, '0') };
  });
  const dirs = listDirs(dataDir).map((path) => ({ path, mode: (statSync(join(dataDir, path)).mode & 0o777).toString(8).padStart(4, '0') }));
  // Git keeps only the executable bit: the test restores these modes, as the server made them.
  for (const { path } of files) chmodSync(join(target, path), 0o644);
  const manifest = {
    release: releaseId,
    commit,
    commitDate: git('show', '-s', '--format=%cI', commit),
    commitSubject: git('show', '-s', '--format=%s', commit),
    madeAt: new Date().toISOString(),
    madeWith: { script: 'scripts/make-previous-release-data-dir.mjs', node: process.version, store: 'sqlite' },
    contents:
      'Three seizures recorded over HTTP by that release (the person seized from, two witnesses and free text in clear): ' +
      'cash valued, handed to the treasury, deposited and confirmed, referred to and cleared by Income Tax, ordered released and ' +
      'released to a named recipient, a photo attached, the seizure corrected; liquor valued, handed to the excise malkhana, FIR ' +
      'registered and still held; beer whose handover the malkhana rejected. Tree heads signed every second until they covered every event.',
    jwt: { algorithm: 'HS256', secret: 'TEST_JWT_SECRET of src/auth/auth.test-support.ts (set as JWT_SECRET, not stored in the data dir)' },
    expected: {
      eventCount: recorded.lastPosition,
      schemaMigrations: [1],
      // Public, as GET /evidence/tree-heads/latest and /evidence/public-key served them: an outside head and its key.
      latestTreeHead: latestHead,
      evidencePublicKey: publicKey,
      seizures: SEIZURES,
      transfers: TRANSFERS,
      seizedFrom: SEIZED_FROM,
      witnesses: WITNESSES,
      releasedTo: RELEASED_TO,
      freeText: FREE_TEXT,
    },
    dirs,
    files,
  };
  writeFileSync(join(fixtureDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}

function listDirs(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      return [path, ...listDirs(dir, path)];
    });
}

// ---------------------------------------------------------------------------------------------
// Run (last, so that every constant above is initialised)

const work = mkdtempSync(join(tmpdir(), 'previous-release-'));
const checkout = join(work, 'checkout');
const dataDir = join(work, 'data');
let server;

async function main() {
  try {
    git('worktree', 'add', '--detach', checkout, commit);
    linkOrInstallDependencies();
    mkdirSync(dataDir, { mode: 0o700 });
    const port = await freePort();
    server = startServer(port);
    const api = client(`http://127.0.0.1:${port}`);
    await waitForHealth(api);
    const recorded = await recordSeizures(api);
    const heads = await waitForTreeHeads(api, recorded.lastPosition);
    const publicKey = await api.get('/evidence/public-key', actors.court);
    await stopServer();
    writeFixture(recorded, heads, publicKey);
    log(`fixture written to ${relative(ROOT, fixtureDir)}`);
  } finally {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    if (existsSync(checkout)) git('worktree', 'remove', '--force', checkout);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
