/**
 * Reads the shell of the README's examples: the little of POSIX sh they use, and nothing more,
 * so that an example written beyond it fails loudly instead of being replayed wrongly.
 *
 * - lines joined at a trailing backslash; `# …` comments, `# → 201` stating the status of the
 *   command above it;
 * - words with '…' (literal), "…" (with \" \\ \$ escapes) and bare text, `$NAME`, `${NAME}` and
 *   `$(…)` command substitution, `|` pipes, `> file`, and here-documents (`<<JSON`, `<<'JSON'`).
 */

export type Part = { literal: string } | { variable: string } | { substitution: string };
export type Word = Part[];

export interface HereDocument {
  /** The body as written; expanded like a double-quoted string unless its delimiter was quoted. */
  body: string;
  expand: boolean;
}

/** One line of the script: pipeline stages of words, an optional `> file`, an optional here-document. */
export interface Statement {
  line: number;
  text: string;
  stages: Word[][];
  redirectTo?: Word;
  hereDocument?: HereDocument;
  /** The status the README states under the command (`# → 201`). */
  expectedStatus?: number;
}

const STATUS_COMMENT = /^#\s*→\s*(\d{3})\b/;

/** Splits a script into statements; `firstLine` is the script's line number in its file. */
export function parseScript(script: string, firstLine = 1): Statement[] {
  const lines = script.split('\n');
  const statements: Statement[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = firstLine + i;
    let text = lines[i];
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)}${lines[++i]}`;
    const trimmed = text.trim();
    const status = STATUS_COMMENT.exec(trimmed);
    if (status) {
      const last = statements.at(-1);
      if (last === undefined || last.expectedStatus !== undefined) throw new Error(`line ${line}: a status with no command above it`);
      last.expectedStatus = Number(status[1]);
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const statement = parseStatement(trimmed, line);
    const delimiter = heredocDelimiter.get(statement);
    if (delimiter !== undefined) {
      const end = lines.findIndex((candidate, index) => index > i && candidate === delimiter.name);
      if (end < 0) throw new Error(`line ${line}: here-document ${delimiter.name} is never closed`);
      statement.hereDocument = { body: lines.slice(i + 1, end).join('\n') + '\n', expand: !delimiter.quoted };
      i = end;
    }
    statements.push(statement);
  }
  return statements;
}

const heredocDelimiter = new WeakMap<Statement, { name: string; quoted: boolean }>();

function parseStatement(text: string, line: number): Statement {
  const reader = new Reader(text, line);
  const statement: Statement = { line, text, stages: [[]] };
  for (;;) {
    reader.skipSpaces();
    if (reader.done() || reader.peek() === '#') break;
    if (reader.take('|')) statement.stages.push([]);
    else if (reader.take('<<')) heredocDelimiter.set(statement, reader.delimiter());
    else if (reader.take('>')) {
      reader.skipSpaces();
      statement.redirectTo = reader.word();
    } else {
      const word = reader.word();
      if (word.length === 0) reader.fail(`unsupported ${reader.peek()}`);
      statement.stages.at(-1)?.push(word);
    }
  }
  if (statement.stages.some((stage) => stage.length === 0)) throw new Error(`line ${line}: an empty command in ${text}`);
  return statement;
}

/** Parses the text of a `$(…)` substitution into its pipeline stages. */
export function parseSubstitution(text: string, line: number): Word[][] {
  const statement = parseStatement(text, line);
  if (statement.redirectTo !== undefined || heredocDelimiter.has(statement)) throw new Error(`line ${line}: unsupported in $(…): ${text}`);
  return statement.stages;
}

/** Parses the body of an unquoted here-document: expansions and \$ \\ \` escapes, quotes kept. */
export function parseHereDocument(body: string, line: number): Word {
  const reader = new Reader(body, line);
  const parts: Part[] = [];
  while (!reader.done()) {
    if (reader.take('\\')) parts.push({ literal: '$\\`'.includes(reader.peek()) ? reader.next() : `\\${reader.next()}` });
    else if (reader.peek() === '$') parts.push(reader.expansion());
    else parts.push({ literal: reader.next() });
  }
  return parts;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const WORD_END = new Set([' ', '\t', '|', '>', '<']);

class Reader {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly line: number,
  ) {}

  done(): boolean {
    return this.at >= this.text.length;
  }
  peek(): string {
    return this.text[this.at] ?? '';
  }
  next(): string {
    if (this.done()) this.fail('unexpected end of line');
    return this.text[this.at++];
  }
  take(token: string): boolean {
    if (!this.text.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }
  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.at++;
  }
  fail(why: string): never {
    throw new Error(`line ${this.line}: ${why} in ${this.text}`);
  }

  delimiter(): { name: string; quoted: boolean } {
    const quoted = this.take("'");
    const name = NAME.exec(this.text.slice(this.at))?.[0] ?? this.fail('a here-document needs a delimiter');
    this.at += name.length;
    if (quoted && !this.take("'")) this.fail('unclosed here-document delimiter');
    return { name, quoted };
  }

  word(): Word {
    const parts: Part[] = [];
    while (!this.done() && !WORD_END.has(this.peek())) {
      if (this.take("'")) {
        const end = this.text.indexOf("'", this.at);
        if (end < 0) this.fail("unclosed '");
        parts.push({ literal: this.text.slice(this.at, end) });
        this.at = end + 1;
      } else if (this.take('"')) {
        while (!this.take('"')) {
          if (this.take('\\')) parts.push({ literal: '"\\$`'.includes(this.peek()) ? this.next() : `\\${this.next()}` });
          else if (this.peek() === '$') parts.push(this.expansion());
          else parts.push({ literal: this.next() });
        }
      } else if (this.take('\\')) parts.push({ literal: this.next() });
      else if (this.peek() === '$') parts.push(this.expansion());
      else if (this.peek() === ';' || this.peek() === '&' || this.peek() === '`') this.fail(`unsupported ${this.peek()}`);
      else parts.push({ literal: this.next() });
    }
    return parts;
  }

  expansion(): Part {
    this.next();
    if (this.take('(')) return { substitution: this.substitutionText() };
    const braced = this.take('{');
    const name = NAME.exec(this.text.slice(this.at))?.[0];
    if (name === undefined) return { literal: '$' };
    this.at += name.length;
    if (braced && !this.take('}')) this.fail('unclosed ${');
    return { variable: name };
  }

  /** The text up to the `)` that closes a `$(`, skipping quoted text. */
  private substitutionText(): string {
    const start = this.at;
    let depth = 1;
    while (depth > 0) {
      const char = this.next();
      if (char === "'") this.at = this.text.indexOf("'", this.at) + 1 || this.fail("unclosed '");
      else if (char === '"') this.at = this.text.indexOf('"', this.at) + 1 || this.fail('unclosed "');
      else if (char === '(') depth++;
      else if (char === ')') depth--;
    }
    return this.text.slice(start, this.at - 1);
  }
}

/** The `sh` blocks of one `## ` section of a markdown file, each with the `### ` heading above it and its first line. */
export function shellBlocks(markdown: string, section: string): Array<{ heading: string; script: string; line: number }> {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${section}`);
  if (start < 0) throw new Error(`no section "## ${section}"`);
  const blocks: Array<{ heading: string; script: string; line: number }> = [];
  let heading = section;
  for (let i = start + 1; i < lines.length && !lines[i].startsWith('## '); i++) {
    if (lines[i].startsWith('### ')) heading = lines[i].slice(4);
    if (lines[i] !== '```sh') continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`line ${i + 1}: unclosed code block`);
    blocks.push({ heading, script: lines.slice(i + 1, end).join('\n'), line: i + 2 });
    i = end;
  }
  return blocks;
}
