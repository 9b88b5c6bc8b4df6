import { randomUUID } from 'node:crypto';
import { TEST_JWT_SECRET, signJwt, testClaims } from '../../src/auth/auth.test-support';
import { ROLES, type Actor, type Role } from '../../src/shared/actor';
import { CASH, actors, custodians, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

const transferId = randomUUID();

/** Every command route with a body that passes validation. */
const COMMANDS: Array<{ name: string; path: (id: string) => string; body: (id: string) => object; allowed: Role[] }> = [
  { name: 'record seizure', path: () => '/seizures', body: (id) => recordSeizureCommand({ seizureId: id }).data, allowed: ['officer'] },
  {
    name: 'value items',
    path: (id) => `/seizures/${id}/valuations`,
    body: () => ({ valuations: [{ itemId: CASH, valuePaise: 1 }], basis: 'b', reason: 'r' }),
    allowed: ['officer', 'custodian'],
  },
  {
    name: 'start a transfer',
    path: (id) => `/seizures/${id}/transfers`,
    body: () => ({ transferId, itemIds: [CASH], to: custodians.treasury, sealNumbers: [], reason: 'r' }),
    allowed: ['officer', 'custodian', 'treasury'],
  },
  {
    name: 'accept a transfer',
    path: (id) => `/seizures/${id}/transfers/${transferId}/accept`,
    body: () => ({ seals: [], countedQuantities: [{ itemId: CASH, quantity: 1 }], remarks: '' }),
    allowed: ['officer', 'custodian', 'treasury'],
  },
  {
    name: 'reject a transfer',
    path: (id) => `/seizures/${id}/transfers/${transferId}/reject`,
    body: () => ({ reason: 'r' }),
    allowed: ['officer', 'custodian', 'treasury'],
  },
  {
    name: 'deposit cash',
    path: (id) => `/seizures/${id}/deposits`,
    body: () => ({
      challanNumber: 'CH-1',
      treasury: { id: 'TR-VNS', name: 'T' },
      itemIds: [CASH],
      amountPaise: 1,
      depositedOn: '2024-04-20',
    }),
    allowed: ['officer', 'custodian', 'treasury'],
  },
  {
    name: 'confirm a deposit',
    path: (id) => `/seizures/${id}/deposits/CH-1/confirm`,
    body: () => ({ confirmedAmountPaise: 1, remarks: '' }),
    allowed: ['treasury'],
  },
  {
    name: 'refer to income tax',
    path: (id) => `/seizures/${id}/income-tax-referrals`,
    body: () => ({ referenceNumber: 'IT-1', office: 'o', remarks: '' }),
    allowed: ['officer', 'committee'],
  },
  {
    name: 'record income tax clearance',
    path: (id) => `/seizures/${id}/income-tax-clearances`,
    body: () => ({ clearanceNumber: 'C-1', remarks: '' }),
    allowed: ['officer'],
  },
  {
    name: 'register an FIR',
    path: (id) => `/seizures/${id}/firs`,
    body: () => ({ firNumber: '1/2024', policeStation: 'p', registeredOn: '2024-04-20', sections: [] }),
    allowed: ['officer'],
  },
  {
    name: 'order a release',
    path: (id) => `/seizures/${id}/release-orders`,
    body: () => ({
      orderNumber: 'O-1',
      orderedOn: '2024-04-20',
      itemIds: [CASH],
      releaseTo: { name: 'n' },
      reasons: 'a speaking order with its reasons',
    }),
    allowed: ['committee', 'court'],
  },
  {
    name: 'release items',
    path: (id) => `/seizures/${id}/releases`,
    body: () => ({
      orderNumber: 'O-1',
      itemIds: [CASH],
      releasedTo: { name: 'n', idDocument: { type: 't', number: '1' } },
      identityChecked: true,
      remarks: '',
    }),
    allowed: ['officer', 'custodian', 'treasury'],
  },
  {
    name: 'dispose of items',
    path: (id) => `/seizures/${id}/disposals`,
    body: () => ({ orderNumber: 'O-2', orderedOn: '2024-04-20', method: 'destroyed', itemIds: [CASH], remarks: '' }),
    allowed: ['committee', 'court'],
  },
  {
    name: 'record that the FIR ended',
    path: (id) => `/seizures/${id}/fir-closures`,
    body: () => ({ how: 'trial_ended', closedOn: '2024-04-20', court: 'c', reference: 'J-1', remarks: '' }),
    allowed: ['officer'],
  },
  {
    name: 'record that court proceedings were disposed of',
    path: (id) => `/seizures/${id}/court-proceedings-disposals`,
    body: () => ({ disposedOn: '2024-04-20', court: 'c', caseNumber: 'CC-1', remarks: '' }),
    allowed: ['court'],
  },
  {
    name: 'record that Income Tax proceedings closed',
    path: (id) => `/seizures/${id}/income-tax-proceedings-closures`,
    body: () => ({ closedOn: '2024-04-20', orderNumber: 'ITO-1', remarks: '' }),
    allowed: ['officer'],
  },
  {
    name: 'raise a release dispute',
    path: (id) => `/seizures/${id}/release-disputes`,
    body: () => ({ disputeId: randomUUID(), raisedOn: '2024-04-20', itemIds: [CASH], grounds: 'g' }),
    allowed: ['committee'],
  },
  {
    name: 'resolve a release dispute',
    path: (id) => `/seizures/${id}/release-disputes/${transferId}/resolution`,
    body: () => ({ resolvedOn: '2024-04-20', outcome: 'withdrawn', reference: 'DGC-1', remarks: '' }),
    allowed: ['committee'],
  },
  {
    name: 'record a correction',
    path: (id) => `/seizures/${id}/corrections`,
    body: () => ({ correctsEventId: randomUUID(), whatWasWrong: 'w', correction: 'c', reason: 'r' }),
    allowed: ['officer', 'custodian', 'treasury', 'committee', 'court', 'admin'],
  },
];

const withRole = (role: Role): Actor => ({ ...actors.flyingSquad, sub: `u-${role}`, roles: [role] });

describe('who may do what (e2e, SQLite)', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startE2eApp();
  });
  afterAll(async () => {
    await e2e.close();
  });

  describe.each(COMMANDS)('$name', ({ path, body, allowed }) => {
    it.each(ROLES.map((role) => [role, allowed.includes(role)] as const))('%s: allowed = %s', async (role, isAllowed) => {
      // A seizure nobody recorded: allowed roles get past the role check and meet the domain (404),
      // or for the record command itself, create it (201).
      const id = randomUUID();
      const before = await e2e.lastPosition();
      const response = await e2e
        .http()
        .post(path(id))
        .set('Authorization', `Bearer ${e2e.tokenFor(withRole(role))}`)
        .send(body(id));
      if (isAllowed) {
        expect([201, 404]).toContain(response.status);
      } else {
        expect(response.status).toBe(403);
        expect(response.body.type).toMatch(/\/forbidden$/);
        expect(await e2e.lastPosition()).toBe(before);
      }
    });
  });

  it('every role may read a seizure in its scope; auditors and courts never write', async () => {
    const id = randomUUID();
    await e2e
      .http()
      .post('/seizures')
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .send(recordSeizureCommand({ seizureId: id }).data)
      .expect(201);
    for (const role of ROLES) {
      await e2e
        .http()
        .get(`/seizures/${id}`)
        .set('Authorization', `Bearer ${e2e.tokenFor(withRole(role))}`)
        .expect(200);
    }
    const auditorWrites = COMMANDS.filter((c) => c.allowed.includes('auditor'));
    expect(auditorWrites).toEqual([]);
  });

  it('refuses requests without a token, with a malformed or expired one, or one signed with another key', async () => {
    const id = randomUUID();
    const body = recordSeizureCommand({ seizureId: id }).data;
    const attempt = (authorization?: string) => {
      const req = e2e.http().post('/seizures');
      return (authorization ? req.set('Authorization', authorization) : req).send(body);
    };
    const now = new Date().toISOString();
    const expired = signJwt(
      testClaims(now, { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600, roles: ['officer'] }),
      { alg: 'HS256', secret: TEST_JWT_SECRET },
    );
    const otherKey = signJwt(testClaims(now, { roles: ['officer'] }), {
      alg: 'HS256',
      secret: 'another-secret-that-is-long-enough-for-hs256!!',
    });
    for (const [authorization, label] of [
      [undefined, 'none'],
      ['Bearer not.a.token', 'malformed'],
      ['Basic dXNlcjpwYXNz', 'wrong scheme'],
      [`Bearer ${expired}`, 'expired'],
      [`Bearer ${otherKey}`, 'another key'],
    ] as const) {
      const response = await attempt(authorization);
      expect({ label, status: response.status }).toEqual({ label, status: 401 });
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    await e2e
      .http()
      .get(`/seizures/${id}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .expect(404);
  });
});
