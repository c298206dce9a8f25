import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { isUuid } from '@platform/core';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from '@platform/service-kit';
import type { Response } from 'express';
import { serviceBatchNotFound } from '../domain/service-batch.errors';

export const LOG_POSITION_HEADER = 'X-Log-Position';
export const LOG_POSITION_DOC = {
  [LOG_POSITION_HEADER]: { description: 'Log position of this write', schema: { type: 'string' } },
};

/** `X-Log-Position` of what a write appended. */
export function setLogPosition(res: Response, position: bigint | undefined): void {
  if (position !== undefined) res.setHeader(LOG_POSITION_HEADER, position.toString());
}

/** Batch ids are UUIDs: anything else cannot name a batch and is answered like an unknown one. */
export function requireBatchId(id: string): string {
  if (!isUuid(id)) throw serviceBatchNotFound();
  return id.toLowerCase();
}

/** Documents the problem answers an operation gives, beyond the default one. */
export function ApiProblems(...responses: Array<[status: number, description: string]>): MethodDecorator {
  return applyDecorators(
    ...responses.map(([status, description]) =>
      ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } }),
    ),
  );
}

export const SERVICE_BATCHES_PATH = 'api/v1/service-batches';
