import type { OpenAPIObject } from '@nestjs/swagger';
import { withIdempotencyKeyHeader } from './openapi';

const documentWith = (paths: OpenAPIObject['paths']): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths,
});

describe('withIdempotencyKeyHeader', () => {
  it('adds the optional header to every POST and to nothing else', () => {
    const document = withIdempotencyKeyHeader(
      documentWith({
        '/seizures': {
          post: { responses: {}, parameters: [{ name: 'If-Match', in: 'header' }] },
          get: { responses: {} },
        },
        '/health': { get: { responses: {} } },
      }),
    );

    expect(document.paths['/seizures'].post?.parameters).toEqual([
      { name: 'If-Match', in: 'header' },
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    ]);
    expect(document.paths['/seizures'].get?.parameters).toBeUndefined();
    expect(document.paths['/health'].get?.parameters).toBeUndefined();
  });

  it('leaves a POST that documents the header itself alone', () => {
    const own = { name: 'idempotency-key', in: 'header' as const, required: true };
    const document = withIdempotencyKeyHeader(documentWith({ '/x': { post: { responses: {}, parameters: [own] } } }));

    expect(document.paths['/x'].post?.parameters).toEqual([own]);
  });
});
