import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ValidationError } from '@platform/core';
import type { Request, Response } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { ReadModelFreshness } from './read-model-freshness';

export const MIN_POSITION_HEADER = 'x-min-position';
export const STALE_HEADER = 'X-Read-Model-Stale';
const POSITION_RE = /^\d{1,20}$/;

/** The position a read must reflect: the `X-Min-Position` header, else the `minPosition` query parameter. */
export function requestedMinPosition(req: Request): bigint | undefined {
  const header = req.headers[MIN_POSITION_HEADER];
  const query = req.query?.minPosition;
  const raw = header ?? (typeof query === 'string' ? query : undefined);
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!POSITION_RE.test(value.trim())) {
    throw new ValidationError('Invalid read position', [
      { field: header !== undefined ? 'X-Min-Position' : 'minPosition', message: 'must be a log position (decimal integer)' },
    ]);
  }
  return BigInt(value.trim());
}

/**
 * Read-your-writes on the read-model routes: waits (bounded) until the customer-list
 * projection covers the requested position, then answers; a timed-out wait still answers,
 * flagged `X-Read-Model-Stale: true`.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly freshness: ReadModelFreshness) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const position = requestedMinPosition(http.getRequest<Request>());
    if (position === undefined) return next.handle();
    return from(this.freshness.waitFor(position)).pipe(
      switchMap((fresh) => {
        if (!fresh) http.getResponse<Response>().setHeader(STALE_HEADER, 'true');
        return next.handle();
      }),
    );
  }
}
