import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@platform/core';
import { currentRequestContext, Public } from '@platform/service-kit';
import { ApiKeyGuard, CurrentApiKey } from '../../../api-keys/infrastructure/api-key.guard';
import type { ApiKeyPrincipal } from '../../../api-keys/infrastructure/api-key-authenticator';
import { ApiProblems } from '../../../api-keys/infrastructure/api-problems';
import { isTelemetryKind, TELEMETRY_KINDS } from '../../domain/telemetry-records';
import { IngestTelemetryHandler } from './ingest-telemetry.handler';
import { TelemetryBatch, TelemetryBatchAnswerDto, TelemetryBatchRequest, type TelemetryBatchBody } from './ingest-telemetry.request';

@ApiTags('telemetry')
@Controller('api/v1/telemetry')
export class IngestTelemetryHttpController {
  constructor(private readonly handler: IngestTelemetryHandler) {}

  @Post(':kind')
  @Public()
  @UseGuards(ApiKeyGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Push telemetry from a product environment',
    description:
      'Authenticated by the partner’s API key (X-Api-Key), not by a bearer token. Records of customers that are not the key’s partner’s are rejected as unknown.',
  })
  @ApiHeader({ name: 'X-Api-Key', required: true, description: 'An API key created at /api/v1/api-keys' })
  @ApiParam({ name: 'kind', enum: TELEMETRY_KINDS })
  @ApiBody({ type: TelemetryBatchRequest })
  @ApiOkResponse({ type: TelemetryBatchAnswerDto, description: 'What was kept and what was rejected (by record index, with the reason)' })
  @ApiProblems(
    [400, 'REQUEST.INVALID (batchId, records)'],
    [401, 'AUTH.INVALID_API_KEY'],
    [404, 'TELEMETRY.UNKNOWN_KIND'],
    [409, 'TELEMETRY.BATCH_ID_REUSED'],
    [413, 'TELEMETRY.BATCH_TOO_LARGE (more than 1,000 records), REQUEST.TOO_LARGE (body over 16 MB)'],
  )
  ingest(@CurrentApiKey() key: ApiKeyPrincipal, @Param('kind') kind: string, @TelemetryBatch() body: TelemetryBatchBody): Promise<TelemetryBatchAnswerDto> {
    if (!isTelemetryKind(kind)) throw new NotFoundError('TELEMETRY.UNKNOWN_KIND', `Unknown telemetry kind; one of ${TELEMETRY_KINDS.join(', ')}`);
    return this.handler.execute({
      partnerId: key.partnerId,
      keyId: key.keyId,
      kind,
      batchId: body.batchId.toLowerCase(),
      records: body.records,
      correlationId: currentRequestContext()?.correlationId,
    });
  }
}
