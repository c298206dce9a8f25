import { Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems, LOG_POSITION_DOC, requireBatchId, SERVICE_BATCHES_PATH, setLogPosition } from '../../infrastructure/batch-http';
import { RetryFailedCustomersHandler } from './retry-failed-customers.handler';
import { RetryFailedCustomersResponse } from './retry-failed-customers.request';

@ApiTags('service-batches')
@Controller(SERVICE_BATCHES_PATH)
export class RetryFailedCustomersHttpController {
  constructor(private readonly handler: RetryFailedCustomersHandler) {}

  @Post(':id\\:retry-failed')
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Retry the failed customers of a completed batch (F13)',
    description: 'Answers 202 at once; only the customers whose last result is failed are edited again, in a new attempt.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: RetryFailedCustomersResponse, headers: LOG_POSITION_DOC })
  @ApiProblems(
    [403, 'AUTH.FORBIDDEN: auditors only read'],
    [404, 'SERVICE_BATCH.NOT_FOUND: unknown or another partner’s'],
    [409, 'SERVICE_BATCH.RUNNING (wait for the batch to complete), SERVICE_BATCH.NOTHING_TO_RETRY, SERVICE_BATCH.CONCURRENT_UPDATE'],
  )
  async retry(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RetryFailedCustomersResponse> {
    const outcome = await this.handler.execute({ actor, batchId: requireBatchId(id) });
    setLogPosition(res, outcome.position);
    return { id: outcome.batchId, attempt: outcome.attempt, customerIds: outcome.customerIds };
  }
}
