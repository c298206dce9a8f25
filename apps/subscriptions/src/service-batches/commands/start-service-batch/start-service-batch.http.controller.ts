import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems, LOG_POSITION_DOC, SERVICE_BATCHES_PATH, setLogPosition } from '../../infrastructure/batch-http';
import { StartServiceBatchHandler } from './start-service-batch.handler';
import { ServiceBatchAcceptedResponse, StartServiceBatchRequest } from './start-service-batch.request';

@ApiTags('service-batches')
@Controller(SERVICE_BATCHES_PATH)
export class StartServiceBatchHttpController {
  constructor(private readonly handler: StartServiceBatchHandler) {}

  @Post()
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Batch edit one pooled service for 1–20 customers (F13)',
    description:
      'Answers 202 at once; the server edits each customer’s subscription to the end whatever the client does, and records a ' +
      'result per customer (succeeded, skipped, failed with its reason). Follow it with GET /api/v1/service-batches/{id} or its ' +
      '/events stream. A customer that is unknown or another partner’s fails with CUSTOMER.NOT_FOUND, like an unknown id.',
  })
  @ApiAcceptedResponse({
    type: ServiceBatchAcceptedResponse,
    headers: { Location: { description: 'The batch', schema: { type: 'string' } }, ...LOG_POSITION_DOC },
  })
  @ApiProblems(
    [400, 'REQUEST.INVALID, SERVICE_BATCH.INVALID with the failing fields (customerIds must be 1–20 distinct UUIDs)'],
    [403, 'AUTH.FORBIDDEN: auditors only read'],
  )
  async start(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: StartServiceBatchRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ServiceBatchAcceptedResponse> {
    const outcome = await this.handler.execute({
      actor,
      batch: { serviceCode: body.serviceCode, changes: { ...body.changes }, customerIds: body.customerIds },
    });
    res.setHeader('Location', `/${SERVICE_BATCHES_PATH}/${outcome.batchId}`);
    setLogPosition(res, outcome.position);
    return { id: outcome.batchId };
  }
}
