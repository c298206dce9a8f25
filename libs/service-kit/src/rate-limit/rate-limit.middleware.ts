import { HttpException, HttpStatus, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import { authenticateRequest } from '../auth/request-authentication';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../runtime/tokens';
import { TokenBuckets } from './token-bucket';

/** Probes, scrapes and the API documentation are never limited. */
const EXEMPT = /^\/(health(\/|$)|metrics(\/|\?|$)|docs([-/?]|$))/;

export class RateLimitExceededException extends HttpException {
  constructor() {
    super(
      { code: 'RATE_LIMIT.EXCEEDED', message: 'Too many requests for this user; retry after the number of seconds in Retry-After' },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Per-user rate limiting (per client IP without a valid token): a token bucket of
 * RATE_LIMIT_BURST requests refilled at RATE_LIMIT_PER_MINUTE. Every limited response carries
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (IETF draft); a refused one is 429
 * `RATE_LIMIT.EXCEEDED` with `Retry-After`. RATE_LIMIT_PER_MINUTE=0 turns it off.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  private readonly buckets: TokenBuckets | undefined;
  private readonly now: () => number;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {
    this.buckets =
      config.rateLimitPerMinute > 0
        ? new TokenBuckets({ perMinute: config.rateLimitPerMinute, burst: config.rateLimitBurst })
        : undefined;
    this.now = () => performance.now();
  }

  use(req: Request, res: Response, next: () => void): void {
    if (!this.buckets || EXEMPT.test(req.originalUrl)) return next();
    const authentication = authenticateRequest(req, this.config.authJwtSecret);
    const key =
      authentication.kind === 'authenticated'
        ? `user:${authentication.actor.partnerId}:${authentication.actor.userId}`
        : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
    const result = this.buckets.take(key, this.now());
    res.setHeader('RateLimit-Limit', String(this.config.rateLimitBurst));
    res.setHeader('RateLimit-Remaining', String(result.remaining));
    res.setHeader('RateLimit-Reset', String(Math.ceil(result.resetMs / 1000)));
    res.setHeader('RateLimit-Policy', `${this.config.rateLimitBurst};w=${Math.ceil((60 * this.config.rateLimitBurst) / this.config.rateLimitPerMinute)}`);
    if (!result.allowed) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
      throw new RateLimitExceededException();
    }
    next();
  }
}
