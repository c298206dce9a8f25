import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { isUuid, ValidationError } from '@platform/core';
import type { Request } from 'express';
import { MAX_BATCH_RECORDS, TELEMETRY_KINDS } from '../../domain/telemetry-records';

export class TelemetryBatchRequest {
  @ApiProperty({
    format: 'uuid',
    description: 'Chosen by the sender; sending the same batch again (same id) changes nothing and answers the first answer',
  })
  batchId!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    minItems: 1,
    maxItems: MAX_BATCH_RECORDS,
    description: `1–${MAX_BATCH_RECORDS} records of the path's kind (${TELEMETRY_KINDS.join(', ')}), each with the customerId it is about. Records are validated one by one: invalid ones are listed in the answer, valid ones are kept. More than ${MAX_BATCH_RECORDS} records: 413.`,
    example: [
      {
        customerId: '0192e5f0-0000-7000-8000-00000000c001',
        jobId: 'job-2026-05-01-exchange',
        product: 'cloud-backup-m365',
        workload: 'exchange',
        startedAt: '2026-05-01T01:00:00Z',
        endedAt: '2026-05-01T01:42:00Z',
        status: 'succeeded',
        items: 12850,
        bytes: 734003200,
      },
    ],
  })
  records!: Array<Record<string, unknown>>;
}

export interface TelemetryBatchBody {
  batchId: string;
  records: unknown[];
}

/**
 * The batch envelope, checked by hand: records are validated one by one by the handler (a bad
 * record must not fail the batch), and a thousand records are not worth a class-transformer
 * deep copy. Unknown envelope fields are refused like everywhere else.
 */
export const TelemetryBatch = createParamDecorator((_data: unknown, ctx: ExecutionContext): TelemetryBatchBody => {
  const body: unknown = ctx.switchToHttp().getRequest<Request>().body;
  const fields: Array<{ field: string; message: string }> = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('The request body must be a JSON object', [{ field: '', message: 'must be an object with batchId and records' }]);
  }
  const { batchId, records, ...rest } = body as Record<string, unknown>;
  if (typeof batchId !== 'string' || !isUuid(batchId)) fields.push({ field: 'batchId', message: 'batchId must be a UUID' });
  if (!Array.isArray(records) || records.length === 0) fields.push({ field: 'records', message: 'records must be a non-empty array' });
  for (const k of Object.keys(rest)) fields.push({ field: k, message: `property ${k} should not exist` });
  if (fields.length > 0) throw new ValidationError(`The request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}`, fields);
  return { batchId: (batchId as string).toLowerCase(), records: records as unknown[] };
});

export class RejectedRecordDto {
  @ApiProperty({ description: 'Index of the record in the batch' }) index!: number;
  @ApiProperty({ example: 'TELEMETRY.INVALID_RECORD', enum: ['TELEMETRY.INVALID_RECORD', 'TELEMETRY.UNKNOWN_CUSTOMER', 'TELEMETRY.CUSTOMER_NOT_ACTIVE'] })
  code!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ required: false, type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } })
  errors?: Array<{ field: string; message: string }>;
}

export class TelemetryBatchAnswerDto {
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ enum: TELEMETRY_KINDS }) kind!: string;
  @ApiProperty({ description: 'Records kept' }) accepted!: number;
  @ApiProperty({ type: [RejectedRecordDto] }) rejected!: RejectedRecordDto[];
}
