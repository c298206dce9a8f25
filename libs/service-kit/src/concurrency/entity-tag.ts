import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { PreconditionFailedError } from '@platform/core';
import type { Request, Response } from 'express';

const IF_MATCH_RE = /^\s*(?:W\/)?"(\d{1,15})"\s*$/;

/**
 * The stream version in an `If-Match` header (`W/"7"` or `"7"` → 7); `undefined` when the
 * header is absent or `*` (any current version). Anything else is a 400: a client that meant
 * to guard its write must not have the guard silently ignored.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return undefined;
  const m = IF_MATCH_RE.exec(value);
  if (!m) {
    throw new BadRequestException({
      code: 'REQUEST.INVALID_IF_MATCH',
      message: 'If-Match must be one entity tag of this API, W/"<version>" or "<version>"',
    });
  }
  return Number(m[1]);
}

/** `@IfMatch() ifMatch: number | undefined` — the version the client last saw, if it sent one. */
export const IfMatch = createParamDecorator((_data: unknown, ctx: ExecutionContext): number | undefined =>
  parseIfMatch(ctx.switchToHttp().getRequest<Request>().headers['if-match']),
);

/** The weak entity tag of a stream version: `W/"7"`. */
export function entityTag(version: number): string {
  return `W/"${version}"`;
}

/** Sets `ETag: W/"<version>"` on the response. */
export function setEntityTag(res: Response, version: number): void {
  res.setHeader('ETag', entityTag(version));
}

/** Throws `PreconditionFailedError` (412) when the client sent `If-Match` with another version. */
export function assertVersionMatches(ifMatch: number | undefined, currentVersion: number): void {
  if (ifMatch !== undefined && ifMatch !== currentVersion) {
    throw new PreconditionFailedError(
      `The resource is at version ${currentVersion}, not ${ifMatch}: reload it and retry`,
      ifMatch,
      currentVersion,
    );
  }
}
