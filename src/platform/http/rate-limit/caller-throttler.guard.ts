import type { ServerResponse } from 'node:http';
import { ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ThrottlerGuard, normalizeIp, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { ProblemHttpException } from '../problem-details.filter';
import { RATE_LIMIT_SUBJECT, rateLimitTracker, type VerifiedSubjectOf } from './rate-limit-tracker';

/**
 * The global rate-limit guard: every throttler counts requests per caller across all routes
 * (the stock guard counts per route), and a refusal is a 429 problem with `Retry-After`.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  /** Every throttler asks for the tracker; it is worked out (and the token verified) once per request. */
  private readonly trackers = new WeakMap<object, string>();

  // A property, so the stock guard's constructor stays as it is.
  @Inject(RATE_LIMIT_SUBJECT) private readonly verifiedSubjectOf!: VerifiedSubjectOf;

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const known = this.trackers.get(request);
    if (known !== undefined) return known;
    // request.ip honours the trust proxy setting: X-Forwarded-For counts only when configured.
    // normalizeIp groups an IPv6 client by its /64, which one host can fill with addresses.
    const ip = typeof request.ip === 'string' ? normalizeIp(request.ip, this.ipv6SubnetPrefix) : 'unknown';
    const tracker = rateLimitTracker(this.verifiedSubjectOf(request), ip);
    this.trackers.set(request, tracker);
    return tracker;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<ServerResponse>().setHeader('Retry-After', String(retryAfterSeconds));
    const window = detail.ttl === 1000 ? 'second' : detail.ttl === 60_000 ? 'minute' : `${detail.ttl / 1000} seconds`;
    throw new ProblemHttpException({
      status: HttpStatus.TOO_MANY_REQUESTS,
      slug: 'too-many-requests',
      title: 'Too many requests',
      detail: `At most ${detail.limit} requests per ${window} are allowed; retry after ${retryAfterSeconds} s.`,
    });
  }
}
