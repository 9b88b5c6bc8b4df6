import { uuid } from './format';

/** One bad field of a request, as the API names it: `items[0].quantity`. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** An RFC 9457 problem the API answered, or a network failure dressed as one (status 0). */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';

  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly FieldProblem[] = [],
  ) {
    super(detail || title);
  }

  /** The last segment of the problem type, e.g. not-the-recipient. */
  get slug(): string {
    return this.type.split('/').pop() ?? this.type;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

interface ApiOptions {
  token: () => string | null;
  /** Called on a 401: the token expired or was revoked. */
  onUnauthorized: (problem: ApiProblem) => void;
}

const READ_MODEL_RETRIES = 3;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<{ type: string; title: string; detail: string; errors: FieldProblem[] }>;
      return new ApiProblem(
        response.status,
        body.type ?? 'about:blank',
        body.title ?? response.statusText,
        body.detail ?? '',
        Array.isArray(body.errors) ? body.errors : [],
      );
    } catch {
      // Fall through: a body that claims JSON but is not.
    }
  }
  return new ApiProblem(response.status, 'about:blank', response.statusText || `HTTP ${response.status}`, '');
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The API as the signed-in user: every request carries the bearer token, every failure is an
 * ApiProblem. POSTs carry an Idempotency-Key, so a retry after a lost answer (or a double click)
 * records the command once; the key changes whenever the body does.
 */
export class Api {
  /** The highest globalPosition this tab wrote or saw: queries wait until read models include it. */
  private position = 0;
  private lastPost: { path: string; body: string; key: string } | undefined;

  constructor(private readonly options: ApiOptions) {}

  /** Read your own writes: later queries of read models include everything up to here. */
  sawPosition(position: number): void {
    if (Number.isSafeInteger(position) && position > this.position) this.position = position;
  }

  private async send(
    method: string,
    path: string,
    init: { body?: string | Blob; accept?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const token = this.options.token();
    const headers: Record<string, string> = { Accept: init.accept ?? 'application/json', ...init.headers };
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (typeof init.body === 'string') headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, { method, headers, body: init.body, cache: 'no-store', credentials: 'omit' });
    } catch (error) {
      throw new ApiProblem(
        0,
        'network',
        'The server could not be reached',
        `Check the connection and try again (${(error as Error).message}).`,
      );
    }
    if (response.ok) return response;
    const problem = await problemOf(response);
    if (response.status === 401 && token !== null) this.options.onUnauthorized(problem);
    throw problem;
  }

  /** A plain GET of a route that reads the event stream itself (no read model). */
  async get<T>(path: string, query?: Query): Promise<T> {
    return (await (await this.send('GET', withQuery(path, query))).json()) as T;
  }

  /** A GET of a read model: waits (server-side) until it includes this tab's writes, retrying a 503 read-model-behind. */
  async query<T>(path: string, query: Query = {}): Promise<T> {
    const url = withQuery(path, { ...query, minPosition: this.position > 0 ? this.position : undefined });
    for (let attempt = 1; ; attempt++) {
      try {
        return (await (await this.send('GET', url)).json()) as T;
      } catch (error) {
        if (!(error instanceof ApiProblem) || error.slug !== 'read-model-behind' || attempt >= READ_MODEL_RETRIES) throw error;
        await pause(1000);
      }
    }
  }

  async post<T extends { globalPosition?: number | null }>(path: string, body: unknown): Promise<T> {
    const text = JSON.stringify(body);
    const same = this.lastPost !== undefined && this.lastPost.path === path && this.lastPost.body === text;
    const key = same && this.lastPost ? this.lastPost.key : uuid();
    this.lastPost = { path, body: text, key };
    const send = (): Promise<Response> => this.send('POST', path, { body: text, headers: { 'Idempotency-Key': key } });
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      // Lost on the way: the same key makes the retry safe, whether or not the first one was recorded.
      if (!(error instanceof ApiProblem) || error.status !== 0) throw error;
      response = await send();
    }
    const result = (await response.json()) as T;
    if (typeof result.globalPosition === 'number') this.sawPosition(result.globalPosition);
    return result;
  }

  /**
   * POSTs a file's bytes exactly as they are (an attachment: the server stores them under their
   * SHA-256), with its media type. Sent once, never retried: the form's button stays disabled meanwhile.
   */
  async postBytes<T extends { globalPosition?: number | null }>(path: string, query: Query, bytes: Blob, mediaType: string): Promise<T> {
    const response = await this.send('POST', withQuery(path, query), { body: bytes, headers: { 'Content-Type': mediaType } });
    const result = (await response.json()) as T;
    if (typeof result.globalPosition === 'number') this.sawPosition(result.globalPosition);
    return result;
  }

  /** Fetches a file with the token and hands it to the browser as a download. */
  async download(path: string, query: Query, fallbackName: string, accept: string): Promise<Blob> {
    const response = await this.send('GET', withQuery(path, query), { accept });
    const disposition = response.headers.get('content-disposition') ?? '';
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    // Revoked later: the browser reads the blob after the click returns.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return blob;
  }
}
