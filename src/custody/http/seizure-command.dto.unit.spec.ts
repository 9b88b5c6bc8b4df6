import type { ArgumentMetadata } from '@nestjs/common';
import { recordSeizureCommand } from '../../../test/support/custody-fixtures';
import { ProblemHttpException, type FieldError } from '../../platform/http/problem-details.filter';
import { createValidationPipe } from '../../platform/http/validation';
import {
  AcceptTransferRequest,
  CloseFirRequest,
  CloseIncomeTaxProceedingsRequest,
  DepositCashRequest,
  DisposeOfCourtProceedingsRequest,
  InitiateTransferRequest,
  OrderReleaseRequest,
  RaiseReleaseDisputeRequest,
  RecordSeizureRequest,
  ReleaseItemsRequest,
  ResolveReleaseDisputeRequest,
} from './seizure-command.dto';

const pipe = createValidationPipe();
const asBody = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

async function errorsOf(metatype: ArgumentMetadata['metatype'], body: unknown): Promise<FieldError[]> {
  try {
    await pipe.transform(body, asBody(metatype));
  } catch (error) {
    if (error instanceof ProblemHttpException) return [...(error.problem.errors ?? [])];
    throw error;
  }
  return [];
}

const valid = (): Record<string, unknown> => JSON.parse(JSON.stringify(recordSeizureCommand().data));
const fields = (errors: FieldError[]) => errors.map((e) => e.field);

describe('request declarations: one complete declaration per body', () => {
  it('accepts the fixture body as it is', async () => {
    expect(await errorsOf(RecordSeizureRequest, valid())).toEqual([]);
  });

  describe.each([
    'location',
    'seizedFrom',
    'election',
    'items',
    'witnesses',
    'media',
    'seizedAt',
    'team',
    'memoNumber',
    'linkedToCandidateOrParty',
  ])('the required field %s', (field) => {
    it.each([
      ['missing', undefined],
      ['null', null],
      ['of the wrong type', ['team', 'memoNumber'].includes(field) ? 7 : 'x'],
      ['an array or, for a list, an object', field === 'media' ? {} : []],
    ])('is refused when %s, naming the field and what is expected', async (_what, value) => {
      const body = valid();
      if (value === undefined) delete body[field];
      else body[field] = value;
      const errors = await errorsOf(RecordSeizureRequest, body);
      expect(fields(errors)).toContain(field);
      expect(errors.find((e) => e.field === field)?.reason).toMatch(new RegExp(`^${field} `));
    });
  });

  it.each(['location', 'seizedFrom', 'election'])('refuses an empty object for %s, listing each missing field inside it', async (field) => {
    const errors = await errorsOf(RecordSeizureRequest, { ...valid(), [field]: {} });
    expect(errors.length).toBeGreaterThan(1);
    for (const error of errors) expect(error.field.startsWith(`${field}.`)).toBe(true);
  });

  it.each([
    [
      'a transfer without its recipient',
      InitiateTransferRequest,
      { transferId: '0b8c3c2e-9d54-4c1a-8c53-3f7b9d2f6a10', itemIds: ['i'], sealNumbers: [], reason: 'to malkhana' },
      'to',
    ],
    [
      'a deposit without its treasury',
      DepositCashRequest,
      { challanNumber: 'CH-1', itemIds: ['i'], amountPaise: 100, depositedOn: '2024-04-19' },
      'treasury',
    ],
    [
      'a release order without releaseTo',
      OrderReleaseRequest,
      { orderNumber: 'O-1', orderedOn: '2024-04-19', itemIds: ['i'], reasons: 'a speaking order of enough words' },
      'releaseTo',
    ],
    [
      'a release without releasedTo',
      ReleaseItemsRequest,
      { orderNumber: 'O-1', itemIds: ['i'], identityChecked: true, remarks: '' },
      'releasedTo',
    ],
    [
      'an acceptance with seals as an object',
      AcceptTransferRequest,
      { seals: {}, countedQuantities: [{ itemId: 'i', quantity: 1 }], remarks: '' },
      'seals',
    ],
  ])('refuses %s', async (_what, metatype, body, field) => {
    expect(fields(await errorsOf(metatype, body))).toContain(field);
  });

  it('never converts a string to a number', async () => {
    const body = valid();
    (body.location as Record<string, unknown>).latitude = '25.3';
    const errors = await errorsOf(RecordSeizureRequest, body);
    expect(errors).toEqual([
      expect.objectContaining({ field: 'location.latitude', reason: expect.stringContaining('must be a JSON number') }),
    ]);
  });

  it('refuses a body that is not a JSON object', async () => {
    for (const body of [[], null, 'text', 5]) {
      expect(fields(await errorsOf(RecordSeizureRequest, body))).toEqual(['(body)']);
    }
  });

  it.each(['agency', 'seizingOfficer', 'custodian', 'placesVersion'])(
    'refuses %s: the ledger supplies it, never the body',
    async (field) => {
      expect(fields(await errorsOf(RecordSeizureRequest, { ...valid(), [field]: 'x' }))).toEqual([field]);
    },
  );

  it('stores a time given with its offset as UTC, and refuses one without an offset', async () => {
    const stored = (await pipe.transform(
      { ...valid(), seizedAt: '2024-04-19T11:00:00+05:30' },
      asBody(RecordSeizureRequest),
    )) as RecordSeizureRequest;
    expect(stored.seizedAt).toBe('2024-04-19T05:30:00.000Z');
    for (const seizedAt of [
      '2024-04-19T11:00:00',
      '2024-04-19 11:00:00Z',
      '2024-02-30T11:00:00Z',
      '2024-04-19T24:00:00Z',
      '2024-04-19T11:00:00+25:00',
    ]) {
      const errors = await errorsOf(RecordSeizureRequest, { ...valid(), seizedAt });
      expect(errors).toEqual([
        expect.objectContaining({ field: 'seizedAt', reason: expect.stringContaining('e.g. 2024-04-19T11:00:00+05:30') }),
      ]);
    }
  });

  it('stores text as NFC, so the same visible text is always the same bytes', async () => {
    const body = valid();
    (body.seizedFrom as Record<string, unknown>).name = 'Jose\u0301';
    const stored = (await pipe.transform(body, asBody(RecordSeizureRequest))) as RecordSeizureRequest;
    expect(stored.seizedFrom.name).toBe('Jos\u00e9');
  });

  it('stores every entry of a list of codes as NFC too', async () => {
    const body = valid();
    (body.items as Array<Record<string, unknown>>)[0].sealNumbers = ['S-1e\u0301'];
    const stored = (await pipe.transform(body, asBody(RecordSeizureRequest))) as RecordSeizureRequest;
    expect(stored.items[0].sealNumbers).toEqual(['S-1\u00e9']);
  });

  it('names the nested field holding a forbidden character', async () => {
    const body = valid();
    (body.witnesses as Array<Record<string, unknown>>)[1].name = 'Mohan\u202eLal';
    const errors = await errorsOf(RecordSeizureRequest, body);
    expect(errors).toEqual([{ field: 'witnesses[1].name', reason: expect.stringContaining('bidirectional control U+202E') }]);
  });

  it('says what a valid vehicle number looks like', async () => {
    const errors = await errorsOf(RecordSeizureRequest, { ...valid(), vehicleNumber: 'up65 ab 1234' });
    expect(errors[0].reason).toContain('spaces and hyphens are allowed');
  });

  describe('the bodies that close cases', () => {
    const bodies = [
      [CloseFirRequest, { how: 'trial_ended', closedOn: '2024-04-20', court: 'CJM Varanasi', reference: 'ST 55/2024', remarks: '' }],
      [DisposeOfCourtProceedingsRequest, { disposedOn: '2024-04-20', court: 'CJM Varanasi', caseNumber: 'CC 412/2024', remarks: 'x' }],
      [CloseIncomeTaxProceedingsRequest, { closedOn: '2024-04-20', orderNumber: 'ITO/77', remarks: '' }],
      [
        RaiseReleaseDisputeRequest,
        { disputeId: '6f1c2b7a-0d4e-4a8b-9c3d-1e2f3a4b5c6d', raisedOn: '2024-04-20', itemIds: ['item-cash'], grounds: 'g' },
      ],
      [ResolveReleaseDisputeRequest, { resolvedOn: '2024-04-20', outcome: 'upheld', reference: 'DGC/40', remarks: '' }],
    ] as const;

    it.each(bodies.map(([metatype, body]) => [metatype.name, metatype, body] as const))(
      '%s accepts a complete body and names every field left out',
      async (_name, metatype, body) => {
        expect(await errorsOf(metatype, body)).toEqual([]);
        for (const field of Object.keys(body)) {
          const { [field]: _left, ...without } = body as Record<string, unknown>;
          expect([...new Set(fields(await errorsOf(metatype, without)))]).toEqual([field]);
        }
      },
    );

    it('names an FIR ending, a dispute outcome or a day it does not know', async () => {
      expect(fields(await errorsOf(CloseFirRequest, { ...bodies[0][1], how: 'withdrawn' }))).toEqual(['how']);
      expect(fields(await errorsOf(ResolveReleaseDisputeRequest, { ...bodies[4][1], outcome: 'settled' }))).toEqual(['outcome']);
      expect(fields(await errorsOf(CloseIncomeTaxProceedingsRequest, { ...bodies[2][1], closedOn: '2024-02-30' }))).toEqual(['closedOn']);
      expect(fields(await errorsOf(RaiseReleaseDisputeRequest, { ...bodies[3][1], grounds: '' }))).toEqual(['grounds']);
    });
  });
});
