import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';

/**
 * The day helpers, and the web console's date helpers built on them, give the same answers
 * whatever zone the process runs in: a server set to UTC or to IST, an officer's phone left on
 * Los Angeles time, or a zone fourteen hours ahead. Each zone runs in a child process (TZ is read
 * once, at start-up), with the modules transpiled here to plain CommonJS.
 */
const ZONES = ['UTC', 'Asia/Kolkata', 'America/Los_Angeles', 'Pacific/Kiritimati'];
const MODULES = ['shared/indian-day.ts', 'console/web/format.ts'];

/** Either side of Indian midnight and of UTC midnight, across a year end and a leap day. */
const INSTANTS = [
  '2024-04-19T18:29:00.000Z', // 23:59 IST
  '2024-04-19T18:31:00.000Z', // 00:01 IST
  '2024-04-19T23:59:00.000Z', // 05:29 IST
  '2024-04-20T00:01:00.000Z', // 05:31 IST
  '2024-12-31T18:30:00.000Z', // 00:00 IST on 1 January
  '2024-02-29T18:29:59.999Z', // the last millisecond of a leap day in India
];
const DAYS = ['2024-04-20', '2024-12-31', '2024-02-28', '2024-03-09'];

/** Run in each child: every answer the helpers give, as JSON. */
const PROBE = `
const day = require('./shared/indian-day.js');
const format = require('./console/web/format.js');
const instants = ${JSON.stringify(INSTANTS)};
const days = ${JSON.stringify(DAYS)};
process.stdout.write(JSON.stringify({
  localOffsetMinutes: new Date('2024-04-20T00:00:00Z').getTimezoneOffset(),
  answers: {
    instants: instants.map((i) => [
      day.indianDayOf(i), day.formatIndianDateTime(i), day.indianWallClockOf(i),
      format.todayIst(Date.parse(i)), format.istNowForInput(Date.parse(i)), format.istInputToUtc(format.istNowForInput(Date.parse(i))), format.dateTime(i),
    ]),
    days: days.map((d) => [day.startOfIndianDay(d), day.endOfIndianDay(d), day.endOfIndianDay(d, 7), day.addIndianDays(d, 1), day.addIndianDays(d, -1)]),
  },
}));
`;

describe('Indian days in any process time zone', () => {
  let dir: string;
  const outputs = new Map<string, { localOffsetMinutes: number; answers: unknown }>();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'indian-day-zones-'));
    const sourceRoot = join(__dirname, '..');
    for (const module of MODULES) {
      const { outputText } = ts.transpileModule(readFileSync(join(sourceRoot, module), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      const file = join(dir, module.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, outputText);
    }
    writeFileSync(join(dir, 'probe.js'), PROBE);
    for (const zone of ZONES) {
      const stdout = execFileSync(process.execPath, ['probe.js'], { cwd: dir, env: { ...process.env, TZ: zone }, encoding: 'utf8' });
      outputs.set(zone, JSON.parse(stdout));
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('really ran each child in its zone (by its local offset: ICU may name Asia/Kolkata Asia/Calcutta)', () => {
    expect(ZONES.map((zone) => [zone, outputs.get(zone)?.localOffsetMinutes])).toEqual([
      ['UTC', 0],
      ['Asia/Kolkata', -330],
      ['America/Los_Angeles', 420],
      ['Pacific/Kiritimati', -840],
    ]);
  });

  it('gives identical answers in every zone', () => {
    const reference = outputs.get('UTC')?.answers;
    for (const zone of ZONES) expect({ zone, answers: outputs.get(zone)?.answers }).toEqual({ zone, answers: reference });
  });

  it('and the answers are the Indian ones', () => {
    const answers = outputs.get('America/Los_Angeles')?.answers as { instants: string[][]; days: string[][] };
    expect(answers.instants.map((row) => row.slice(0, 6))).toEqual([
      ['2024-04-19', '2024-04-19 23:59:00 IST', '2024-04-19T23:59:00.000', '2024-04-19', '2024-04-19T23:59', '2024-04-19T18:29:00.000Z'],
      ['2024-04-20', '2024-04-20 00:01:00 IST', '2024-04-20T00:01:00.000', '2024-04-20', '2024-04-20T00:01', '2024-04-19T18:31:00.000Z'],
      ['2024-04-20', '2024-04-20 05:29:00 IST', '2024-04-20T05:29:00.000', '2024-04-20', '2024-04-20T05:29', '2024-04-19T23:59:00.000Z'],
      ['2024-04-20', '2024-04-20 05:31:00 IST', '2024-04-20T05:31:00.000', '2024-04-20', '2024-04-20T05:31', '2024-04-20T00:01:00.000Z'],
      ['2025-01-01', '2025-01-01 00:00:00 IST', '2025-01-01T00:00:00.000', '2025-01-01', '2025-01-01T00:00', '2024-12-31T18:30:00.000Z'],
      ['2024-02-29', '2024-02-29 23:59:59 IST', '2024-02-29T23:59:59.999', '2024-02-29', '2024-02-29T23:59', '2024-02-29T18:29:00.000Z'],
    ]);
    // The console shows the same minute the register writes.
    expect(answers.instants[1][6]).toMatch(/^20 Apr 2024, 12:01\s?am IST$/i);
    expect(answers.days).toEqual([
      ['2024-04-19T18:30:00.000Z', '2024-04-20T18:30:00.000Z', '2024-04-27T18:30:00.000Z', '2024-04-21', '2024-04-19'],
      ['2024-12-30T18:30:00.000Z', '2024-12-31T18:30:00.000Z', '2025-01-07T18:30:00.000Z', '2025-01-01', '2024-12-30'],
      ['2024-02-27T18:30:00.000Z', '2024-02-28T18:30:00.000Z', '2024-03-06T18:30:00.000Z', '2024-02-29', '2024-02-27'],
      ['2024-03-08T18:30:00.000Z', '2024-03-09T18:30:00.000Z', '2024-03-16T18:30:00.000Z', '2024-03-10', '2024-03-08'],
    ]);
  });
});
