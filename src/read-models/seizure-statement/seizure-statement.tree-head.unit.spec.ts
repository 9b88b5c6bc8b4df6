import { statementToCsv } from './seizure-statement.csv';
import type { SeizureStatement, StatementFigures } from './seizure-statement.query';
import { MAX_TREE_HEAD_WAIT_MS, statementCheckpoint, treeHeadWaitMs, withCheckpoint } from './seizure-statement.tree-head';
import type { StatementTreeHead } from './signed-tree-head-source';

const head: StatementTreeHead = {
  logId: 'a'.repeat(64),
  treeSize: 7,
  rootHash: 'b'.repeat(64),
  timestamp: '2024-04-19T06:00:00.000Z',
  signature: 'c2ln',
};

const zero: StatementFigures = {
  seizures: 0,
  cash: { valuePaise: 0 },
  liquor: { volumeMl: 0, litres: '0.000', valuePaise: 0 },
  drugs: { weightMg: 0, kg: '0.000000', pieces: 0, valuePaise: 0 },
  preciousMetals: { weightMg: 0, kg: '0.000000', valuePaise: 0 },
  freebies: { valuePaise: 0 },
  other: { valuePaise: 0 },
  totalValuePaise: 0,
};
const statement: SeizureStatement = {
  date: '2024-04-19',
  timeZone: 'Asia/Kolkata',
  groupBy: 'state',
  filters: { state: null, district: null, election: null },
  ledgerPosition: 7,
  rows: [],
  total: { day: zero, cumulative: zero },
};

describe('a statement’s tree head', () => {
  it('takes a head covering the position as soon as there is one', async () => {
    let calls = 0;
    const note = 'ledger.example/log\n7\nu7u7u7==\n\n\u2014 ledger.example/log AAAA\n\u2014 witness.example/w1 BBBB\n';
    const log = { latestCovering: (position: number) => (++calls >= 3 && position === 7 ? { ...head, checkpoint: note } : undefined) };
    await expect(statementCheckpoint(log, 7, 2_000)).resolves.toEqual({
      treeHead: head,
      checkpoint: note,
      treeHeadNote: null,
      publicKeyUrl: '/evidence/public-key',
    });
    expect(calls).toBe(3);
  });

  it('does not fail the statement when no head covers it in time: it says why', async () => {
    const checkpoint = await statementCheckpoint({ latestCovering: () => undefined }, 7, 150);
    expect(checkpoint).toEqual({
      treeHead: null,
      checkpoint: null,
      treeHeadNote: expect.stringContaining('ledger position 7'),
      publicKeyUrl: '/evidence/public-key',
    });
  });

  it('waits one signing interval and a second, but never long', () => {
    expect(treeHeadWaitMs(1)).toBe(2_000);
    expect(treeHeadWaitMs(3600)).toBe(MAX_TREE_HEAD_WAIT_MS);
  });

  it('ends the CSV with the head after an empty line, or with `none` and the note', async () => {
    const signed = statementToCsv(withCheckpoint(statement, await statementCheckpoint({ latestCovering: () => head }, 7, 0)));
    expect(
      signed.endsWith(
        '\r\n\r\nledger_tree_head,logId,treeSize,rootHash,timestamp,signature,publicKeyUrl,note,keyId\r\n' +
          `signed,${head.logId},7,${head.rootHash},2024-04-19T06:00:00.000Z,c2ln,/evidence/public-key,,\r\n`,
      ),
    ).toBe(true);
    const none = statementToCsv(withCheckpoint(statement, await statementCheckpoint({ latestCovering: () => undefined }, 7, 0)));
    expect(none).toMatch(
      /\r\n\r\nledger_tree_head,[^\r\n]+\r\nnone,,,,,,\/evidence\/public-key,"?no signed tree head covers ledger position 7[^\r\n]*,\r\n$/,
    );
    expect(statementToCsv(statement)).not.toContain('ledger_tree_head');
  });
});
