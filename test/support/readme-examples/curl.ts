/**
 * A curl command line as fetch sees it. Only the options the README uses are understood; any
 * other is refused, so an example cannot pass by an option the replay ignored.
 */
export interface CurlRequest {
  url: string;
  method: string;
  headers: Headers;
  body?: Buffer;
  outputFile?: string;
  maxTimeSeconds?: number;
}

interface Inputs {
  /** The command's standard input: a here-document, or the previous stage of a pipeline. */
  stdin?: string;
  /** Files by name: the user's (a scanned memo) and those written earlier (`cat > f`, `-o f`). */
  files: Map<string, Buffer>;
  line: number;
}

/** Options that take no value and change nothing fetch does: silent, show errors, no buffering. */
const FLAGS = new Set(['s', 'S', 'N']);

export function curlRequest(args: readonly string[], inputs: Inputs): CurlRequest {
  const fail = (why: string): never => {
    throw new Error(`line ${inputs.line}: curl ${why}`);
  };
  const headers = new Headers();
  let method: string | undefined;
  let url: string | undefined;
  let body: Buffer | undefined;
  let outputFile: string | undefined;
  let maxTimeSeconds: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => (i + 1 < args.length ? args[++i] : fail(`${arg} needs a value`));
    if (/^-[a-zA-Z]+$/.test(arg) && [...arg.slice(1)].every((flag) => FLAGS.has(flag))) continue;
    switch (arg) {
      case '-X':
      case '--request':
        method = value();
        break;
      case '-H':
      case '--header': {
        const header = value();
        const colon = header.indexOf(':');
        if (colon < 1) fail(`header ${header} has no name`);
        headers.append(header.slice(0, colon).trim(), header.slice(colon + 1).trim());
        break;
      }
      case '-d':
      case '--data':
        body = data(value(), inputs, fail, true);
        break;
      case '--data-binary':
        body = data(value(), inputs, fail, false);
        break;
      case '-o':
      case '--output':
        outputFile = value();
        break;
      case '--max-time':
        maxTimeSeconds = Number(value());
        break;
      default:
        if (arg.startsWith('-')) fail(`option ${arg} is not one the README replay understands`);
        if (url !== undefined) fail(`has two URLs: ${url} and ${arg}`);
        url = arg;
    }
  }
  if (url === undefined) return fail('has no URL');
  // As curl does: a body without a declared type is sent as a form.
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
  return { url, method: method ?? (body === undefined ? 'GET' : 'POST'), headers, body, outputFile, maxTimeSeconds };
}

/** `-d`/`--data-binary` values: text, `@-` (standard input) or `@file`; -d drops line breaks of what it reads, as curl does. */
function data(value: string, inputs: Inputs, fail: (why: string) => never, stripNewlines: boolean): Buffer {
  if (!value.startsWith('@')) return Buffer.from(value);
  const name = value.slice(1);
  const content = name === '-' ? Buffer.from(inputs.stdin ?? fail('reads standard input, and there is none')) : inputs.files.get(name);
  if (content === undefined) return fail(`reads ${name}, a file the replay does not have`);
  return stripNewlines ? Buffer.from(content.toString('utf8').replace(/[\r\n]/g, '')) : content;
}
