import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { tokenExpiryOf } from '../../auth/request-credentials';
import type { Actor } from '../../shared/actor';
import { parseLastEventId } from './feed-message';
import { LiveFeed, type FeedSink } from './live-feed';

export const LIVE_FEED_PATH = 'events/stream';

/** An HTTP response as a feed sink: SSE headers, no buffering by proxies. */
class HttpFeedSink implements FeedSink {
  constructor(
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
  ) {}

  open(): void {
    this.response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // nginx would otherwise hold events back until its buffer fills.
      'X-Accel-Buffering': 'no',
    });
    this.response.flushHeaders();
    this.request.socket.setNoDelay(true);
  }

  write(chunk: string): void {
    if (!this.response.writableEnded) this.response.write(chunk);
  }

  get bufferedBytes(): number {
    return this.response.writableLength;
  }

  end(): void {
    if (!this.response.writableEnded) this.response.end();
  }

  onClose(listener: () => void): void {
    this.response.once('close', listener);
  }
}

@ApiTags('live feed')
@Controller('events')
export class LiveFeedHttpController {
  constructor(@Inject(LiveFeed) private readonly feed: LiveFeed) {}

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'Server-Sent Events of new events within your scope: `id` is the global position, `event` the event type, `data` JSON ' +
      '(seizureId, type, revision, globalPosition, occurredAt, actorSub, hash, data, redacted). For roles without personal-data ' +
      'access each personal-data field of `data` (names, reasons, remarks, corrections...) is replaced by ' +
      '{"redacted": true, "reason": ...} and `redacted` is true. A comment every 15 s keeps it open.',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this event, its global position (sent by EventSource when it reconnects).',
    schema: { type: 'integer', minimum: 0, example: 1234 },
  })
  @ApiQuery({
    name: 'lastEventId',
    required: false,
    schema: { type: 'integer', minimum: 0, example: 1234 },
    description: 'Resume after this event (its global position), for a first connection.',
  })
  @ApiQuery({
    name: 'access_token',
    required: false,
    schema: { type: 'string', format: 'jwt', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LTE3In0.c2lnbmF0dXJl' },
    description: 'The bearer token, for browsers whose EventSource cannot send headers. Accepted on this route only.',
  })
  async stream(
    @CurrentActor() actor: Actor,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Query('lastEventId') lastEventIdQuery: unknown,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
  ): Promise<void> {
    // The expiry the guard verified, not a second reading of the header: a second parser once
    // missed a token with trailing whitespace, and the stream then outlived the token.
    const resumeAfter = parseLastEventId(lastEventIdHeader, lastEventIdQuery);
    this.feed.assertCanOpen(actor);
    const from = resumeAfter ?? (await this.feed.headPosition());
    this.feed.assertCanOpen(actor);
    this.feed.open(actor, from, new HttpFeedSink(request, response), { endAtMs: tokenExpiryOf(request) });
  }
}
