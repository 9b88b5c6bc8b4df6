import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

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
});
