import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import * as seizureCommandDtos from '../../src/custody/http/seizure-command.dto';
import * as erasureDtos from '../../src/custody/http/personal-data-erasure.dto';
import { DISTRICT_CODE, TEXT_PATTERNS } from '../../src/platform/http/field-patterns';
import { ProblemHttpException } from '../../src/platform/http/problem-details.filter';
import { createValidationPipe } from '../../src/platform/http/validation';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import {
  missingFromSchema,
  nestedSchemas,
  requestBodies,
  undocumentedParameters,
  undocumentedProperties,
  type OpenApiDocument,
} from '../support/openapi-checks';

class ProbeBodyDto {
  @IsString()
  note!: string;
}

/** A command-shaped route and a query route, so the document surely has a POST and a GET. */
@Controller('openapi-probe')
class OpenApiProbeHttpController {
  @Post()
  create(@Body() body: ProbeBodyDto): ProbeBodyDto {
    return body;
  }

  @Get()
  list(): [] {
    return [];
  }
}

type Operation = { parameters?: Array<{ name: string; in: string }> };

/** The request declarations by class name, which is the name of their schema in the document. */
const DECLARATIONS: Record<string, unknown> = { ...seizureCommandDtos, ...erasureDtos, ProbeBodyDto };
const isProbe = (path: string) => path.startsWith('/openapi-probe');

const PACKAGE_VERSION = (JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;

describe('OpenAPI document and Swagger UI (e2e)', () => {
  let e2e: E2eApp;

  beforeAll(async () => {
    e2e = await startE2eApp({ controllers: [OpenApiProbeHttpController] });
  });

  afterAll(async () => {
    await e2e.close();
  });

  it('serves the OpenAPI document at /docs-json without a token', async () => {
    const response = await e2e.http().get('/docs-json').expect(200);

    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({
      openapi: expect.stringMatching(/^3\./),
      info: { title: 'Seizure Custody Ledger', version: PACKAGE_VERSION },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    });
  });

  it('lists /health, marked as needing no token', async () => {
    const { body } = await e2e.http().get('/docs-json').expect(200);

    expect(body.paths['/health']).toBeDefined();
    expect(body.paths['/health'].get.security).toEqual([]);
  });

  it('lists the optional Idempotency-Key header on every POST, and on no GET', async () => {
    const { body } = await e2e.http().get('/docs-json').expect(200);
    const paths = body.paths as Record<string, Record<string, Operation>>;
    const names = (operation: Operation): string[] => (operation.parameters ?? []).map((p) => p.name);

    expect(names(paths['/openapi-probe'].post)).toContain('Idempotency-Key');
    expect(names(paths['/openapi-probe'].get)).not.toContain('Idempotency-Key');
    for (const operations of Object.values(paths)) {
      if (operations.post) expect(names(operations.post)).toContain('Idempotency-Key');
    }
  });

  it('serves Swagger UI at /docs without a token', async () => {
    const response = await e2e.http().get('/docs').redirects(1).expect(200);

    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('swagger-ui');
  });

  describe('every request field and parameter, documented and exemplified', () => {
    let document: OpenApiDocument;
    beforeAll(async () => {
      document = (await e2e.http().get('/docs-json').expect(200)).body as OpenApiDocument;
    });

    it('gives every request-body field, nested ones too, a description, an example and a format, pattern, enum or integer/boolean type', () => {
      const bodies = requestBodies(document, isProbe);
      expect(bodies.length).toBeGreaterThanOrEqual(19);
      expect(bodies.flatMap(([, schema]) => undocumentedProperties(document, schema))).toEqual([]);
    });

    it('leaves out no field a request declaration validates, nested ones too', () => {
      const names = [...new Set(requestBodies(document, isProbe).flatMap(([, schema]) => nestedSchemas(document, schema)))];
      expect(names.length).toBeGreaterThanOrEqual(30);
      expect(names.filter((name) => typeof DECLARATIONS[name] !== 'function')).toEqual([]);
      expect(names.flatMap((name) => missingFromSchema(document, name, DECLARATIONS[name] as new () => object))).toEqual([]);
    });

    it('lists If-Match on every command on an existing seizure, with the pattern the server checks', () => {
      const commands = Object.entries(document.paths).filter(([path, item]) => path.startsWith('/seizures/{seizureId}') && item.post);
      expect(commands.length).toBeGreaterThanOrEqual(20);
      const without = commands.filter(
        ([, item]) => !(item.post?.parameters ?? []).some((p) => 'name' in p && p.name === 'If-Match' && p.in === 'header'),
      );
      expect(without.map(([path]) => path)).toEqual([]);
      const ifMatch = (commands[0][1].post?.parameters ?? []).find((p) => 'name' in p && p.name === 'If-Match') as {
        schema: { pattern: string };
      };
      expect(new RegExp(ifMatch.schema.pattern).test('"7-r"')).toBe(true);
      expect(new RegExp(ifMatch.schema.pattern).test('7')).toBe(false);
    });

    it('gives every path and query parameter a description, an example and a format, pattern, enum or integer/boolean type', () => {
      expect(undocumentedParameters(document, isProbe)).toEqual([]);
    });

    it('finds what is missing: the probe body, declared without documentation, is named field by field', () => {
      expect(requestBodies(document, (path) => !isProbe(path))).toEqual([['POST /openapi-probe', 'ProbeBodyDto']]);
      expect(missingFromSchema(document, 'ProbeBodyDto', ProbeBodyDto)).toEqual(['ProbeBodyDto.note: not in the document']);
      const described = structuredClone(document);
      described.components.schemas.ProbeBodyDto.properties = { note: { type: 'string', example: 'FS3' } };
      expect(undocumentedProperties(described, 'ProbeBodyDto')).toEqual([
        'ProbeBodyDto.note: no description',
        'ProbeBodyDto.note: no format, pattern, enum, integer or boolean type',
      ]);
    });

    it('gives every request body a whole example, put together from its fields, that its declaration accepts', async () => {
      const pipe = createValidationPipe();
      const refused: string[] = [];
      for (const [operation, name] of requestBodies(document, isProbe)) {
        const example = document.components.schemas[name].example;
        const declaration = DECLARATIONS[name] as new () => object;
        expect([operation, typeof example, typeof declaration]).toEqual([operation, 'object', 'function']);
        try {
          await pipe.transform(example, { type: 'body', metatype: declaration });
        } catch (error) {
          if (!(error instanceof ProblemHttpException)) throw error;
          refused.push(`${operation} ${name}: ${JSON.stringify(error.problem.errors)}`);
        }
      }
      expect(refused).toEqual([]);
    });

    it('states the very expressions the validators check as patterns', () => {
      const { schemas } = document.components;
      expect(schemas.LocationDto.properties?.district.pattern).toBe(DISTRICT_CODE.source);
      expect(schemas.RecordSeizureRequest.properties?.memoNumber.pattern).toBe(TEXT_PATTERNS.code.source);
      expect(new RegExp(schemas.RecordSeizureRequest.properties?.memoNumber.pattern ?? '').test('FS3/VNS/2024/117 ')).toBe(false);
    });
  });
});
