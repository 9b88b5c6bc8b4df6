import { randomUUID } from 'node:crypto';
import { runCli } from '../../../src/cli/main';
import { PROJECT_ROOT } from '../server-process';
import { parseHereDocument, parseSubstitution, type Statement, type Word } from './shell-script';
import { curlRequest, type CurlRequest } from './curl';

/**
 * Replays the README's statements as a user's shell would, without a shell: curl becomes fetch,
 * jq a path lookup, `npm run -s cli -- token` the CLI's own command in this process, `uuidgen`
 * and `date -u` are computed, `cat > file <<JSON` keeps the file in memory. Anything else is
 * refused, so the README cannot drift into commands the replay does not check.
 */

export interface ReplayOptions {
  /** Variables the test sets (BASE: the server it started); the README's assignments to them are skipped. */
  pinned: Record<string, string>;
  /** Files the README sends with `@file` that the user brings (a scanned memo). */
  files: Map<string, Buffer>;
  /** The data dir of the server, where `token` finds the secret it generated. */
  dataDir: string;
  /** `sleep` is replayed for at most this many seconds (the test server signs tree heads every second). */
  maxSleepSeconds: number;
}

export interface StepOutcome {
  line: number;
  text: string;
  expected?: number;
  statuses: number[];
  body: string;
}

export class Replay {
  private readonly variables = new Map<string, string>();
  private statuses: number[] = [];
  private lastBody = '';

  constructor(private readonly options: ReplayOptions) {
    for (const [name, value] of Object.entries(options.pinned)) this.variables.set(name, value);
  }

  /** Runs one statement; the caller compares its statuses with the one the README states. */
  async run(statement: Statement): Promise<StepOutcome> {
    this.statuses = [];
    this.lastBody = '';
    const assignment = asAssignment(statement);
    if (assignment !== undefined) {
      if (!Object.hasOwn(this.options.pinned, assignment.name)) {
        this.variables.set(assignment.name, await this.expand(assignment.value, statement.line));
      }
    } else {
      const stdin = statement.hereDocument === undefined ? undefined : await this.hereDocument(statement);
      const output = await this.pipeline(statement.stages, statement.line, stdin);
      if (statement.redirectTo !== undefined) {
        this.options.files.set(await this.expand(statement.redirectTo, statement.line), Buffer.from(output));
      }
    }
    return { line: statement.line, text: statement.text, expected: statement.expectedStatus, statuses: this.statuses, body: this.lastBody };
  }

  private async hereDocument(statement: Statement): Promise<string> {
    const document = statement.hereDocument as NonNullable<Statement['hereDocument']>;
    return document.expand ? this.expand(parseHereDocument(document.body, statement.line), statement.line) : document.body;
  }

  private async expand(word: Word, line: number): Promise<string> {
    let text = '';
    for (const part of word) {
      if ('literal' in part) text += part.literal;
      else if ('variable' in part) {
        const value = this.variables.get(part.variable);
        if (value === undefined) throw new Error(`line ${line}: $${part.variable} is not set`);
        text += value;
      } else text += (await this.pipeline(parseSubstitution(part.substitution, line), line)).replace(/\n+$/, '');
    }
    return text;
  }

  private async pipeline(stages: Word[][], line: number, stdin?: string): Promise<string> {
    let input = stdin;
    for (const stage of stages) {
      const argv: string[] = [];
      for (const word of stage) argv.push(await this.expand(word, line));
      input = await this.command(argv, line, input);
    }
    return input ?? '';
  }

  private async command([program, ...args]: string[], line: number, stdin: string | undefined): Promise<string> {
    switch (program) {
      case 'curl':
        return this.curl(curlRequest(args, { stdin, files: this.options.files, line }), line);
      case 'jq':
        return jq(args, stdin ?? '', line);
      case 'cat':
        if (args.length > 0) throw new Error(`line ${line}: cat reads only its here-document`);
        return stdin ?? '';
      case 'uuidgen':
        return `${randomUUID()}\n`;
      case 'date':
        return `${date(args, line)}\n`;
      case 'sleep':
        await new Promise((done) => setTimeout(done, Math.min(Number(args[0]), this.options.maxSleepSeconds) * 1000));
        return '';
      case 'npm':
        return this.npmCli(args, line);
      default:
        throw new Error(`line ${line}: the README replay does not run ${program}`);
    }
  }

  private async curl(request: CurlRequest, line: number): Promise<string> {
    const signal = request.maxTimeSeconds === undefined ? undefined : AbortSignal.timeout(request.maxTimeSeconds * 1000);
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal,
    });
    this.statuses.push(response.status);
    let body = '';
    try {
      body = await response.text();
    } catch (error) {
      // curl --max-time ends a stream that would go on (the live feed): what came before counts.
      if (signal?.aborted !== true) throw new Error(`line ${line}: ${(error as Error).message}`);
    }
    this.lastBody = body;
    if (request.outputFile === undefined) return body;
    this.options.files.set(request.outputFile, Buffer.from(body));
    return '';
  }

  private async npmCli(args: string[], line: number): Promise<string> {
    const separator = args.indexOf('--');
    if (args.slice(0, separator).join(' ') !== 'run -s cli' || separator < 0) throw new Error(`line ${line}: only npm run -s cli -- …`);
    let stdout = '';
    let stderr = '';
    const io = {
      env: { LEDGER_DATA_DIR: this.options.dataDir },
      cwd: PROJECT_ROOT,
      stdout: (text: string) => (stdout += text),
      stderr: (text: string) => (stderr += text),
    };
    const code = await runCli(args.slice(separator + 1), io);
    if (code !== 0) throw new Error(`line ${line}: the CLI exited ${code}: ${stderr}`);
    return stdout;
  }
}

function asAssignment(statement: Statement): { name: string; value: Word } | undefined {
  const [first, ...rest] = statement.stages[0][0];
  if (statement.stages.length > 1 || statement.stages[0].length > 1 || first === undefined || !('literal' in first)) return undefined;
  let prefix = first.literal;
  let index = 0;
  while (!prefix.includes('=') && index < rest.length && 'literal' in rest[index]) prefix += (rest[index++] as { literal: string }).literal;
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(prefix);
  if (!match) return undefined;
  return { name: match[1], value: [{ literal: match[2] }, ...rest.slice(index)] };
}

/** `jq -r <path>`: `.a.b[0].c`, the one kind of filter the README uses. */
function jq(args: string[], input: string, line: number): string {
  if (args.length !== 2 || args[0] !== '-r') throw new Error(`line ${line}: only jq -r <path>`);
  const steps = args[1].match(/\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]/g) ?? [];
  if (args[1] !== '.' && steps.join('') !== args[1]) throw new Error(`line ${line}: jq filter ${args[1]} is not a path`);
  let value: unknown = JSON.parse(input);
  for (const step of steps) {
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step.slice(1);
    value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : null;
  }
  return `${typeof value === 'string' ? value : JSON.stringify(value ?? null)}\n`;
}

/** `date -u +FORMAT` with %Y %m %d %H %M %S. */
function date(args: string[], line: number): string {
  if (args.length !== 2 || args[0] !== '-u' || !args[1].startsWith('+')) throw new Error(`line ${line}: only date -u +FORMAT`);
  const now = new Date().toISOString();
  const fields: Record<string, string> = {
    Y: now.slice(0, 4),
    m: now.slice(5, 7),
    d: now.slice(8, 10),
    H: now.slice(11, 13),
    M: now.slice(14, 16),
    S: now.slice(17, 19),
  };
  return args[1].slice(1).replace(/%(.)/g, (_, field: string) => fields[field] ?? `%${field}`);
}
