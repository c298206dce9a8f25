import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from '@platform/service-kit';
import type { Response } from 'express';

/** Documents the problem answers an operation gives, beyond the default one. */
export function ApiProblems(...responses: Array<[status: number, description: string]>): MethodDecorator {
  return applyDecorators(
    ...responses.map(([status, description]) =>
      ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } }),
    ),
  );
}

export const LOG_POSITION_HEADER = 'X-Log-Position';

export const WRITE_HEADERS_DOC = {
  ETag: { description: 'W/"<stream version>"', schema: { type: 'string' } },
  [LOG_POSITION_HEADER]: {
    description: 'Log position of this write; pass it back as X-Min-Position to read your own write',
    schema: { type: 'string' },
  },
};

export const LOG_POSITION_DOC = { [LOG_POSITION_HEADER]: WRITE_HEADERS_DOC[LOG_POSITION_HEADER] };

export function setLogPosition(res: Response, position: bigint | undefined): void {
  if (position !== undefined) res.setHeader(LOG_POSITION_HEADER, position.toString());
}

export const NOT_FOUND_DOC: [number, string] = [404, 'CUSTOMER.NOT_FOUND (unknown, disconnected or another partner’s)'];
export const FORBIDDEN_DOC: [number, string] = [403, 'AUTH.FORBIDDEN: auditors are read-only'];
