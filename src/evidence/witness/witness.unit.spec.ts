import { sha256 } from '@noble/hashes/sha256';
import { formatCheckpoint } from '../checkpoint/checkpoint';
import { cosignatureVerifierKey, parseCosignatureVerifierKey, cosignatureSigner } from '../checkpoint/cosignature';
import { ed25519NoteSigner, openNote, parseVerifierKey, signNote, verifierList, ed25519VerifierKey } from '../checkpoint/signed-note';
import { consistencyProof, rootOf, EMPTY_ROOT } from '../merkle/rfc9162';
import { formatAddCheckpoint, formatTreeSize, parseAddCheckpoint, parseSignatureLines, parseTreeSize } from './add-checkpoint';
import { originHash, Witness, type WitnessRecord, type WitnessStateStore } from './witness';

const ORIGIN = 'ledger.example.gov.in/seizures';
const seed = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const logSigner = ed25519NoteSigner(ORIGIN, seed(1));
const logVkey = ed25519VerifierKey(ORIGIN, logSigner.publicKey);
const leaves = Array.from({ length: 12 }, (_, i) => sha256(new Uint8Array([i])));
const forkLeaves = leaves.map((l, i) => (i === 6 ? sha256(new Uint8Array([99])) : l));

function checkpoint(size: number, of = leaves, signer = logSigner): string {
  return signNote({ text: formatCheckpoint({ origin: ORIGIN, treeSize: size, rootHash: rootOf(of.slice(0, size)) }) }, signer);
}

function memoryState(): WitnessStateStore & { records: Map<string, WitnessRecord> } {
  const records = new Map<string, WitnessRecord>();
  return { records, get: (o) => records.get(o), put: (r) => void records.set(r.origin, r) };
}

describe('witness add-checkpoint (C2SP tlog-witness)', () => {
  let state: ReturnType<typeof memoryState>;
  let witness: Witness;
  const cosigner = cosignatureSigner('witness.example/w1', seed(2), () => 1_713_592_800);
  const witnessVerifier = parseCosignatureVerifierKey(cosignatureVerifierKey('witness.example/w1', cosigner.publicKey));
  const add = (oldSize: number, size: number, of = leaves, cp = checkpoint(size, of)) =>
    witness.addCheckpoint(
      formatAddCheckpoint({
        oldSize,
        proof: oldSize === 0 || oldSize >= size ? [] : consistencyProof(of.slice(0, size), oldSize),
        checkpoint: cp,
      }),
    );

  beforeEach(() => {
    state = memoryState();
    witness = new Witness([{ origin: ORIGIN, verifiers: [parseVerifierKey(logVkey)] }], cosigner, state);
  });

  it('cosigns a first checkpoint from size 0 and answers a cosignature line that verifies over the checkpoint', () => {
    const answer = add(0, 5);
    expect(answer.status).toBe(200);
    const lines = parseSignatureLines(answer.body);
    expect(lines.ok && lines.value.map((l) => l.name)).toEqual(['witness.example/w1']);
    const note = openNote(checkpoint(5) + answer.body, verifierList(witnessVerifier));
    expect(note.sigs.map((s) => s.name)).toEqual(['witness.example/w1']);
    expect(state.records.get(ORIGIN)).toMatchObject({ treeSize: 5 });
    expect(state.records.get(ORIGIN)!.note).toBe(checkpoint(5) + answer.body);
  });

  it('cosigns a consistent extension, and the same checkpoint again', () => {
    expect(add(0, 5).status).toBe(200);
    expect(add(5, 9).status).toBe(200);
    expect(add(9, 9).status).toBe(200);
    expect(state.records.get(ORIGIN)!.treeSize).toBe(9);
  });

  it('answers 409 with its size as text/x.tlog.size when the old size is not the one it cosigned', () => {
    add(0, 5);
    const answer = add(3, 9);
    expect(answer).toEqual({ status: 409, contentType: 'text/x.tlog.size', body: '5\n' });
    expect(parseTreeSize(answer.body)).toBe(5);
  });

  it('refuses a fork: the same size with another root (422), or a larger tree not consistent with the cosigned one (422)', () => {
    add(0, 8);
    expect(add(8, 8, forkLeaves).status).toBe(422);
    expect(add(8, 10, forkLeaves).status).toBe(422);
    expect(add(8, 10, forkLeaves).body).toMatch(/consistency proof from size 8 does not verify/);
    expect(state.records.get(ORIGIN)!.treeSize).toBe(8);
  });

  it('refuses a rollback: old size above the checkpoint’s (400), or any old size but its own (409)', () => {
    add(0, 8);
    expect(add(8, 5).status).toBe(400);
    expect(add(5, 5).status).toBe(409);
    expect(add(0, 5).status).toBe(409);
    expect(state.records.get(ORIGIN)!.treeSize).toBe(8);
  });

  it('refuses an unknown origin (404), a checkpoint not signed by the log (403), a bad signature (403), a bad body (400)', () => {
    const other = signNote(
      { text: formatCheckpoint({ origin: 'other.example/log', treeSize: 1, rootHash: rootOf(leaves.slice(0, 1)) }) },
      logSigner,
    );
    expect(witness.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: other })).status).toBe(404);
    const stranger = checkpoint(3, leaves, ed25519NoteSigner(ORIGIN, seed(7)));
    expect(add(0, 3, leaves, stranger).status).toBe(403);
    const good = checkpoint(3);
    const flipped = good.replace(/ (\S)(\S+)\n$/, (_, c: string, rest: string) => ` ${c === 'A' ? 'B' : 'A'}${rest}\n`);
    expect(add(0, 3, leaves, good.replace('\n3\n', '\n4\n')).status).toBe(403);
    expect(add(0, 3, leaves, flipped).status).toBe(403);
    expect(witness.addCheckpoint('old 01\n\n' + good).status).toBe(400);
    expect(witness.addCheckpoint('old 0\n' + good).status).toBe(400);
    expect(witness.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [leaves[0]], checkpoint: good })).status).toBe(422);
    expect(state.records.size).toBe(0);
  });

  it('requires the empty tree’s root for size 0', () => {
    const bad = signNote({ text: formatCheckpoint({ origin: ORIGIN, treeSize: 0, rootHash: leaves[0] }) }, logSigner);
    expect(witness.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: bad })).status).toBe(422);
    const empty = signNote({ text: formatCheckpoint({ origin: ORIGIN, treeSize: 0, rootHash: EMPTY_ROOT }) }, logSigner);
    expect(witness.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: empty })).status).toBe(200);
  });

  it('serves its latest cosigned checkpoint by the hex SHA-256 of the origin', () => {
    expect(witness.checkpointByOriginHash(originHash(ORIGIN)).status).toBe(404);
    const answer = add(0, 4);
    expect(witness.checkpointByOriginHash(originHash(ORIGIN))).toMatchObject({ status: 200, body: checkpoint(4) + answer.body });
    expect(witness.checkpointByOriginHash('0'.repeat(64)).status).toBe(404);
  });
});

describe('add-checkpoint encoding: the spec’s own examples', () => {
  // https://c2sp.org/tlog-witness, "add-checkpoint": the example request and response bodies, byte for byte.
  const request =
    'old 20852014\n' +
    'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n' +
    'jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n' +
    '5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n' +
    '/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n' +
    '\n' +
    'example.com/behind-the-sofa\n' +
    '20852163\n' +
    'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n' +
    '\n' +
    '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
    '\u2014 example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n';
  const response =
    '\u2014 witness.example/w1 CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==\n' +
    '\u2014 witness.example/w1 I7rEps0pvK2UqkS2gSpVUDhrhVtQV9lgF6pRrWAvjJHjyWpW7VcE3SiOlVlbQNt64vWhO+DlkL0+UfzuOBMh9ChdMkP1vi/lCAsmlw==\n' +
    '\u2014 witness.example/w2 AWui8Sk55XjYLOijihBjhqEH6nS1ndDymE0a+6idX7pLcnoB+dhnz0854aLZgrrKbYKA7nC3HNJhm/kWl7oJlqU3rXXvpysAdyP3wQ==\n';

  it('reads the example request and writes it back byte for byte', () => {
    const parsed = parseAddCheckpoint(request);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.oldSize).toBe(20852014);
    expect(parsed.value.proof).toHaveLength(4);
    expect(parsed.value.checkpoint.startsWith('example.com/behind-the-sofa\n20852163\n')).toBe(true);
    expect(formatAddCheckpoint(parsed.value)).toBe(request);
  });

  it('reads the example response as three signature lines of two witnesses', () => {
    const lines = parseSignatureLines(response);
    expect(lines.ok && lines.value.map((l) => l.name)).toEqual(['witness.example/w1', 'witness.example/w1', 'witness.example/w2']);
    expect(lines.ok && lines.value.map((l) => `${l.line}\n`).join('')).toBe(response);
  });

  it('writes and reads the 409 body, and refuses sizes with leading zeroes, proofs of 64 lines, and missing newlines', () => {
    expect(formatTreeSize(20852014)).toBe('20852014\n');
    expect(parseTreeSize('20852014\n')).toBe(20852014);
    expect(parseTreeSize('020852014\n')).toBeNull();
    expect(parseTreeSize('5')).toBeNull();
    expect(parseAddCheckpoint(request.replace('old 20852014', 'old 020852014')).ok).toBe(false);
    const long = `old 1\n${'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n'.repeat(64)}\n${request.slice(request.indexOf('example.com'))}`;
    expect(parseAddCheckpoint(long)).toEqual({ ok: false, reason: 'more than 63 consistency proof lines' });
    expect(parseAddCheckpoint(request.slice(0, -1)).ok).toBe(false);
  });
});
