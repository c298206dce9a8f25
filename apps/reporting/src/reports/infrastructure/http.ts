import { applyDecorators, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { isUuid, type CodedError } from '@platform/core';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from '@platform/service-kit';
import type { Request, Response } from 'express';

/** Documents the problem answers an operation gives. */
export function ApiProblems(...responses: Array<[status: number, description: string]>): MethodDecorator {
  return applyDecorators(
    ...responses.map(([status, description]) =>
      ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } }),
    ),
  );
}

/** Ids are UUIDs: anything else names nothing and is answered like an unknown one. */
export function requireId(id: string, notFound: () => CodedError): string {
  if (!isUuid(id)) throw notFound();
  return id.toLowerCase();
}

export const LOG_POSITION_HEADER = 'X-Log-Position';
export const LOG_POSITION_DOC = {
  [LOG_POSITION_HEADER]: { description: 'Log position of this write (read-your-writes)', schema: { type: 'string' } },
};

export function setLogPosition(res: Response, position: bigint | undefined): void {
  if (position !== undefined) res.setHeader(LOG_POSITION_HEADER, position.toString());
}

/** A JSON route given a body of another type: 415 rather than reading it as `{}`. */
export function requireJsonBody(req: Request): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new UnsupportedMediaTypeException({ code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: 'The body must be application/json' });
  }
}

export const FORBIDDEN_DOC: [number, string] = [403, 'AUTH.FORBIDDEN: auditors are read-only'];
