import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type AuthenticatedActor } from '@platform/service-kit';
import { ApiProblems, requireBatchId, SERVICE_BATCHES_PATH } from '../../infrastructure/batch-http';
import { GetServiceBatchQuery } from './get-service-batch.query';
import { ServiceBatchResponse, toServiceBatchResponse } from './service-batch.response';

@ApiTags('service-batches')
@Controller(SERVICE_BATCHES_PATH)
export class GetServiceBatchHttpController {
  constructor(private readonly query: GetServiceBatchQuery) {}

  @Get(':id')
  @ApiOperation({ summary: 'A batch edit’s progress and per-customer results (F13)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ServiceBatchResponse })
  @ApiProblems([404, 'SERVICE_BATCH.NOT_FOUND: unknown or another partner’s'])
  async get(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string): Promise<ServiceBatchResponse> {
    const batchId = requireBatchId(id);
    const { batch, names } = await this.query.execute(actor.partnerId, batchId);
    return toServiceBatchResponse(batchId, batch, names);
  }
}
