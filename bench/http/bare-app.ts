import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The framework's own ceiling: a NestJS application on the same platform (Express) and versions
 * as the ledger, with its JSON body parser and one POST route that takes the same body and answers
 * 201 with a small JSON document — no guards, pipes, interceptors, filters, store or projection.
 * Run by the bench as a process of its own (PORT from the environment); PLATFORM=fastify runs the
 * same module on Fastify, with Nest's JSON parser for Fastify and the same body limit.
 */
@Controller('bare')
class BareController {
  @Post()
  @HttpCode(201)
  accept(@Body() body: { seizureId?: unknown }): { seizureId: unknown; accepted: true } {
    return { seizureId: body.seizureId, accepted: true };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

async function create(): Promise<NestExpressApplication | NestFastifyApplication> {
  if (process.env.PLATFORM === 'fastify')
    return NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }), {
      logger: ['error'],
    });
  const app = await NestFactory.create<NestExpressApplication>(BareModule, { logger: ['error'], bodyParser: false });
  app.useBodyParser('json', { limit: BODY_LIMIT_BYTES });
  return app;
}

async function main(): Promise<void> {
  const app = await create();
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write('listening\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bare app failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
