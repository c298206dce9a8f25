import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  UnprocessableEntityException,
  type NestMiddleware,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { authenticateRequest } from '../auth/request-authentication';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../runtime/tokens';
import { IdempotencyStore, type IdempotencyScope, type StoredResponse } from './idempotency-store';
import { requestBodyBytes, requestFingerprint } from './request-body';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** Response headers a replay gives back with status and body. */
export const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'x-log-position'] as const;

// 1–255 printable ASCII characters (no control characters): keys end up in SQL keys and logs.
const KEY_RE = /^[\x20-\x7e]{1,255}$/;

/** The key of a request, `undefined` without the header; a 400 problem when malformed. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.headers[IDEMPOTENCY_KEY_HEADER];
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (!KEY_RE.test(value)) {
    throw new BadRequestException({
      code: 'IDEMPOTENCY.KEY_INVALID',
      message: 'Idempotency-Key must be 1–255 printable ASCII characters',
    });
  }
  return value;
}

type EndArgs = Parameters<Response['end']>;

function chunkToBuffer(chunk: unknown, encoding?: unknown): Buffer | undefined {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return undefined;
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
}

/**
 * `Idempotency-Key` on POST (spec Conventions): the first answer to a key is stored and given
 * back to every retry with the same method, path and body, which then executes nothing; the
 * same key with another request is 422 `IDEMPOTENCY.KEY_REUSED`, a retry while the first is
 * still running 409 `IDEMPOTENCY.IN_PROGRESS`. 5xx answers release the key (the work may not
 * have happened, a retry must run); 4xx answers changed nothing and are replayed as well.
 *
 * Keys belong to the calling partner user; on public routes (no token) to the route. A
 * middleware, so it wraps whatever answers the request: a Nest handler or the gateway's proxy.
 */
@Injectable()
export class IdempotencyMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly store: IdempotencyStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async use(req: Request, res: Response, next: (error?: unknown) => void): Promise<void> {
    if (req.method !== 'POST') return next();
    const key = idempotencyKeyOf(req);
    if (key === undefined) return next();
    const authentication = authenticateRequest(req, this.config.authJwtSecret);
    // A bad token is rejected by the guard and changes nothing: no key to keep.
    if (authentication.kind === 'invalid') return next();

    const url = req.originalUrl;
    const scope: IdempotencyScope =
      authentication.kind === 'authenticated'
        ? { partnerId: authentication.actor.partnerId, userId: authentication.actor.userId, key }
        : { partnerId: '', userId: `route:${url.split('?')[0]}`, key };
    const fingerprint = requestFingerprint(req.method, url, await requestBodyBytes(req), req.headers['content-type']);

    const claim = await this.store.claim(scope, fingerprint);
    switch (claim.kind) {
      case 'key-reused':
        throw new UnprocessableEntityException({
          code: 'IDEMPOTENCY.KEY_REUSED',
          message: 'This Idempotency-Key was used for a different request; use a new key for a new request',
        });
      case 'in-flight':
        res.setHeader('Retry-After', '1');
        throw new ConflictException({
          code: 'IDEMPOTENCY.IN_PROGRESS',
          message: 'A request with this Idempotency-Key is still being processed; retry shortly',
        });
      case 'replay':
        this.replay(res, claim.response);
        return;
      case 'claimed':
        this.recordAnswer(res, scope, claim.claimId);
        next();
    }
  }

  private replay(res: Response, stored: StoredResponse): void {
    res.status(stored.status);
    for (const [name, value] of Object.entries(stored.headers)) res.setHeader(name, value);
    res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    res.end(stored.body);
  }

  /**
   * Captures the body as it is written and, before the response ends, stores it (or releases
   * the key on 5xx): once a client has its answer, a retry is a replay, never a second run.
   */
  private recordAnswer(res: Response, scope: IdempotencyScope, claimId: string): void {
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: EndArgs) => Response;
    let settled = false;

    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      const buffer = chunkToBuffer(chunk, rest[0]);
      if (buffer) chunks.push(buffer);
      return write(chunk, ...rest);
    }) as Response['write'];

    res.end = ((...args: EndArgs) => {
      if (settled) return end(...args);
      settled = true;
      const [chunk, encoding] = args as unknown[];
      const buffer = chunkToBuffer(chunk, encoding);
      if (buffer) chunks.push(buffer);
      const status = res.statusCode;
      const work =
        status >= 500
          ? this.store.release(scope, claimId)
          : this.store.complete(scope, claimId, { status, headers: this.replayedHeaders(res), body: Buffer.concat(chunks) });
      work
        .catch((e: unknown) => this.logger.error({ err: e }, 'could not record the answer of an idempotent request'))
        .finally(() => end(...args));
      return res;
    }) as Response['end'];

    // The client went away before an answer: nothing to replay, let a retry run.
    res.on('close', () => {
      if (!settled) {
        settled = true;
        this.store.release(scope, claimId).catch((e: unknown) => this.logger.warn({ err: e }, 'could not release an idempotency key'));
      }
    });
  }

  private replayedHeaders(res: Response): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = res.getHeader(name);
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    return headers;
  }
}
