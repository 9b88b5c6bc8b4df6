import { PERSONAL_DATA_SEALING, type PersonalDataSealing } from '../../src/custody/sealing/personal-data-sealing';
import type { Response } from 'supertest';
import type { RecordedEvent } from '../../src/ledger/event-store';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import {
  NFC_OF_NON_NFC,
  NON_NFC,
  applyFieldMutation,
  attachmentWholeBodyMutations,
  fieldMutationSpecs,
  jsonWholeBodyMutations,
  type MutationSpec,
  type WholeBodyRequest,
} from '../support/fuzz/body-mutations';
import { COMMAND_ENDPOINTS, SetupApi, type CommandEndpoint, type PreparedRequest } from '../support/fuzz/command-endpoints';
import { SeededRandom, Tally, fuzzSettings } from '../support/fuzz/fuzz-settings';
import { encodeQuery, queryMutationSpecs, type QueryMutationSpec } from '../support/fuzz/query-mutations';

/**
 * Every command endpoint, fed its valid request with one thing wrong: each field dropped, nulled,
 * retyped, repeated as a duplicate JSON key, laced with control, bidi, zero-width or lone-surrogate
 * characters or written in non-NFC form, unknown keys (`__proto__` among them) added; and the whole
 * body malformed, mislabelled or wrongly encoded. Every answer must be one of:
 *   - 400 problem+json naming the mutated field (or any 4xx problem for a whole-body mutation),
 *     with nothing appended;
 *   - another 4xx with a named problem type, nothing appended;
 *   - 2xx, after which /health shows the projector running and caught up (and non-NFC text was
 *     stored as NFC);
 * and never a 5xx. Cases are drawn with a seed (FUZZ_SEED) up to FUZZ_CASES; every endpoint meets
 * every class of mutation at least once. FUZZ_VERBOSE=1 prints a one-line summary.
 */
const settings = fuzzSettings('FUZZ_CASES', { seed: 20240420, count: 1500 });
const PROBLEM_JSON = /^application\/problem\+json/;

interface FuzzCase {
  endpoint: CommandEndpoint;
  spec: MutationSpec | QueryMutationSpec;
}

interface Answer {
  status: number;
  contentType: string;
  body: { type?: string; errors?: Array<{ field: string; reason: string }> } & Record<string, unknown>;
  /** Events the request appended (read back from the store, sealed fields opened). */
  appended: RecordedEvent[];
}

describe(`HTTP fuzz of the command endpoints (e2e, SQLite; FUZZ_SEED=${settings.seed}, FUZZ_CASES=${settings.count})`, () => {
  let e2e: E2eApp;
  let api: SetupApi;
  /** The valid request each endpoint is fuzzed from; replaced once a case was accepted. */
  const current = new Map<string, PreparedRequest>();

  beforeAll(async () => {
    e2e = await startE2eApp({ env: { RATE_LIMIT_BURST_PER_SECOND: '100000', RATE_LIMIT_PER_MINUTE: '1000000' } });
    api = new SetupApi(e2e);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  async function validRequest(endpoint: CommandEndpoint): Promise<PreparedRequest> {
    let prepared = current.get(endpoint.name);
    if (prepared === undefined) {
      prepared = await endpoint.prepare(api);
      current.set(endpoint.name, prepared);
    }
    return prepared;
  }

  function casesOf(endpoint: CommandEndpoint, prepared: PreparedRequest): FuzzCase[] {
    const specs: Array<MutationSpec | QueryMutationSpec> =
      prepared.kind === 'json'
        ? [
            ...fieldMutationSpecs(prepared.body, endpoint.optionalFields),
            ...jsonWholeBodyMutations(JSON.stringify(prepared.body)).map((m) => m.spec),
          ]
        : [
            ...queryMutationSpecs(prepared.query, endpoint.optionalFields),
            ...attachmentWholeBodyMutations(prepared.bytes).map((m) => m.spec),
          ];
    return specs.map((spec) => ({ endpoint, spec }));
  }

  /** One case of every endpoint × mutation class first, then a seeded sample of the rest. */
  function drawCases(all: FuzzCase[], random: SeededRandom, count: number): FuzzCase[] {
    const shuffled = random.shuffled(all);
    const seen = new Set<string>();
    const firsts: FuzzCase[] = [];
    const rest: FuzzCase[] = [];
    for (const c of shuffled) {
      const group = `${c.endpoint.name}|${c.spec.class}`;
      (seen.has(group) ? rest : firsts).push(c);
      seen.add(group);
    }
    return [...firsts, ...rest].slice(0, Math.max(count, firsts.length));
  }

  function send(prepared: PreparedRequest, spec: MutationSpec | QueryMutationSpec): Promise<Response> {
    const auth = `Bearer ${e2e.tokenFor(prepared.actor)}`;
    if (prepared.kind === 'json') {
      if (spec.target === 'field') {
        return e2e
          .http()
          .post(prepared.path)
          .set('Authorization', auth)
          .set('Content-Type', 'application/json')
          .send(applyFieldMutation(prepared.body, spec));
      }
      const whole = jsonWholeBodyMutations(JSON.stringify(prepared.body)).find((m) => m.spec.name === spec.name);
      return sendRaw(`${prepared.path}`, auth, (whole as { request: WholeBodyRequest }).request);
    }
    if (spec.target === 'query') {
      return sendRaw(`${prepared.path}?${spec.apply(prepared.query)}`, auth, { contentType: prepared.mediaType, bytes: prepared.bytes });
    }
    const whole = attachmentWholeBodyMutations(prepared.bytes).find((m) => m.spec.name === spec.name);
    return sendRaw(`${prepared.path}?${encodeQuery(prepared.query)}`, auth, (whole as { request: WholeBodyRequest }).request);
  }

  function sendRaw(path: string, auth: string, request: WholeBodyRequest): Promise<Response> {
    let call = e2e.http().post(path).set('Authorization', auth).set('Content-Type', request.contentType);
    if (request.contentEncoding !== undefined) call = call.set('Content-Encoding', request.contentEncoding);
    return call.send(request.bytes);
  }

  async function answerTo(prepared: PreparedRequest, spec: MutationSpec | QueryMutationSpec): Promise<Answer> {
    const before = await e2e.lastPosition();
    const response = await send(prepared, spec);
    const after = await e2e.lastPosition();
    const stored = after > before ? await e2e.store.readAll({ fromPosition: before, maxCount: after - before }) : [];
    // Personal data is sealed in the store: judged as the ledger reads it back, opened.
    const appended = (await e2e.app.get<PersonalDataSealing>(PERSONAL_DATA_SEALING).reveal(stored)).map((r) => r.event);
    return {
      status: response.status,
      contentType: String(response.headers['content-type'] ?? ''),
      body: (response.body ?? {}) as Answer['body'],
      appended,
    };
  }

  /** /health once the projector has applied everything: running, caught up, no read model failed. */
  async function projectorCaughtUp(): Promise<string | undefined> {
    let last = '';
    for (let attempt = 0; attempt < 150; attempt++) {
      const health = await e2e.http().get('/health');
      const projector = health.body.projector as { status?: string; lag?: number } | undefined;
      last = JSON.stringify(health.body);
      if (projector?.status === 'failed' || /"failure"/.test(last)) return `projector failed: ${last}`;
      if (health.body.status === 'ok' && projector?.status === 'running' && projector.lag === 0) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return `projector not running and caught up: ${last}`;
  }

  const names = (named: string, field: string) => named === field || named.startsWith(`${field}.`) || named.startsWith(`${field}[`);

  /** Why this answer breaks the oracle, or undefined when it is one of the allowed ones. */
  async function judge(spec: MutationSpec | QueryMutationSpec, answer: Answer): Promise<string | undefined> {
    if (answer.status >= 500) return `${answer.status} ${String(answer.body.type ?? '')}`;
    if (answer.status >= 200 && answer.status < 300) {
      if (spec.expect === 'refuse') return `accepted (${answer.status}), must be refused`;
      const projector = await projectorCaughtUp();
      if (projector !== undefined) return projector;
      if (spec.class === 'non-nfc') {
        const stored = JSON.stringify(answer.appended.map((e) => e.data));
        if (stored.includes(NON_NFC) || !stored.includes(NFC_OF_NON_NFC))
          return 'accepted, but the text was stored without NFC normalisation';
      }
      return undefined;
    }
    if (answer.status < 400) return `unexpected ${answer.status}`;
    if (answer.appended.length > 0) return `refused (${answer.status}) yet ${answer.appended.length} event(s) appended`;
    if (!PROBLEM_JSON.test(answer.contentType)) return `${answer.status} without application/problem+json (${answer.contentType})`;
    if (typeof answer.body.type !== 'string' || answer.body.type === 'about:blank') return `${answer.status} without a named problem type`;
    if (answer.status !== 400 || spec.target === 'body') return undefined;
    const fields = (answer.body.errors ?? []).map((e) => e.field);
    const alsoNamed = 'alsoNamed' in spec ? spec.alsoNamed : undefined;
    const validation = answer.body.type.endsWith('/validation-failed');
    // A custody rule may be about the list the field is in ("report every seal" names `seals`).
    const named = fields.some((f) => names(f, spec.field) || f === alsoNamed || (!validation && names(spec.field, f)));
    if (!named) return `400 ${answer.body.type.split('/').pop()} does not name "${spec.field}" (names: ${JSON.stringify(fields)})`;
    if (spec.expect === 'nfc' && validation) return 'non-NFC text refused as invalid; it should be stored as NFC';
    return undefined;
  }

  it('answers a named 4xx that appends nothing, or a 2xx the projector catches up with — never a 5xx', async () => {
    const random = new SeededRandom(settings.seed);
    const all: FuzzCase[] = [];
    for (const endpoint of COMMAND_ENDPOINTS) all.push(...casesOf(endpoint, await validRequest(endpoint)));
    const cases = drawCases(all, random, settings.count);

    const perCommand = new Tally();
    const perClass = new Tally();
    const byStatus = new Tally();
    const failures = new Map<string, string>();
    for (const c of cases) {
      const prepared = await validRequest(c.endpoint);
      const answer = await answerTo(prepared, c.spec);
      perCommand.add(c.endpoint.name);
      perClass.add(c.spec.class);
      byStatus.add(String(answer.status));
      const polluted =
        (Object.prototype as Record<string, unknown>).polluted !== undefined || ({} as Record<string, unknown>).isAdmin !== undefined;
      const problem = polluted ? 'Object.prototype was polluted' : await judge(c.spec, answer);
      if (problem !== undefined) {
        // One line per distinct failure: endpoint, mutation, where, and the answer.
        const key = `${c.endpoint.name} ${c.spec.name} @ ${c.spec.field || '(body)'}`;
        if (!failures.has(key)) failures.set(key, problem);
      }
      if (answer.status < 300) current.delete(c.endpoint.name);
    }

    const summary = `http-fuzz seed=${settings.seed} cases=${cases.length}/${all.length} | per command: ${perCommand.toString()} | per class: ${perClass.toString()} | by status: ${byStatus.toString()}`;
    if (settings.verbose) console.log(summary);
    const report = [...failures.entries()].map(([key, problem]) => `${key}: ${problem}`);
    expect({ seed: settings.seed, failures: report }).toEqual({ seed: settings.seed, failures: [] });
  }, 600_000);
});
