import { curlRequest } from './curl';
import { parseHereDocument, parseScript, parseSubstitution, shellBlocks } from './shell-script';

describe('reading the README examples as sh', () => {
  it('joins continued lines, reads quotes and expansions, and attaches the stated status to the command above', () => {
    const [statement] = parseScript(['curl -s "$BASE/seizures/${ID}" \\', '  -H \'If-Match: "3"\'', '# → 412'].join('\n'), 10);

    expect(statement).toMatchObject({ line: 10, expectedStatus: 412 });
    expect(statement.stages[0][2]).toEqual([{ variable: 'BASE' }, ...[...'/seizures/'].map((c) => ({ literal: c })), { variable: 'ID' }]);
    expect(statement.stages[0][4]).toEqual([{ literal: 'If-Match: "3"' }]);
  });

  it('takes a here-document as the standard input, expanded unless its delimiter is quoted', () => {
    const [open, quoted] = parseScript(['cat > a.json <<JSON', '{ "id": "$ID" }', 'JSON', "cat <<'RAW'", '$ID', 'RAW'].join('\n'));

    expect(open.hereDocument).toEqual({ body: '{ "id": "$ID" }\n', expand: true });
    expect(open.redirectTo).toEqual([...'a.json'].map((c) => ({ literal: c })));
    expect(quoted.hereDocument).toEqual({ body: '$ID\n', expand: false });
    expect(parseHereDocument('"\\$x" $ID', 1)).toContainEqual({ variable: 'ID' });
  });

  it('reads a command substitution with its pipeline', () => {
    const [statement] = parseScript(`ID=$(curl -s "$BASE/x" | jq -r '.items[0].id')`);
    const substitution = statement.stages[0][0].find((part) => 'substitution' in part) as { substitution: string };

    expect(parseSubstitution(substitution.substitution, 1)).toHaveLength(2);
  });

  it('refuses what it cannot replay faithfully: ; && and backticks, a status under nothing, an unclosed here-document', () => {
    expect(() => parseScript('curl a; curl b')).toThrow(/unsupported ;/);
    expect(() => parseScript('echo `date`')).toThrow(/unsupported `/);
    expect(() => parseScript('# → 200')).toThrow(/status with no command/);
    expect(() => parseScript('cat <<JSON\n{}')).toThrow(/never closed/);
  });

  it('finds the sh blocks of one section, under their headings', () => {
    const markdown = [
      '## Other',
      '```sh',
      'x',
      '```',
      '## Examples',
      '### One',
      '```sh',
      'a',
      '```',
      '```bash',
      'b',
      '```',
      '## Next',
      '```sh',
      'c',
      '```',
    ];

    expect(shellBlocks(markdown.join('\n'), 'Examples')).toEqual([{ heading: 'One', script: 'a', line: 8 }]);
  });
});

describe('a curl command line as fetch sees it', () => {
  const inputs = { files: new Map([['memo.pdf', Buffer.from('%PDF')]]), line: 3 };

  it('reads method, headers, body and output, and types an untyped body as a form, as curl does', () => {
    const request = curlRequest(['-s', '-X', 'POST', 'http://h/x', '-H', 'Authorization: Bearer t', '-d', '@-', '-o', 'out.json'], {
      ...inputs,
      stdin: '{\n"a": 1\n}\n',
    });

    expect(request).toMatchObject({ url: 'http://h/x', method: 'POST', outputFile: 'out.json' });
    expect(request.body?.toString()).toBe('{"a": 1}');
    expect(request.headers.get('authorization')).toBe('Bearer t');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
  });

  it('sends --data-binary files as they are, and refuses a file or an option it does not know', () => {
    expect(curlRequest(['--data-binary', '@memo.pdf', 'http://h/a'], inputs).body?.toString()).toBe('%PDF');
    expect(() => curlRequest(['--data-binary', '@photo.jpg', 'http://h/a'], inputs)).toThrow(/photo.jpg/);
    expect(() => curlRequest(['-k', 'http://h/a'], inputs)).toThrow(/option -k/);
  });
});
