import { Body, Controller, Headers, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Request, Response } from 'express';
import { requireCustomerId } from '../../infrastructure/customer-access';
import { ApiProblems, FORBIDDEN_DOC, LOG_POSITION_DOC, NOT_FOUND_DOC, setLogPosition } from '../../infrastructure/http-docs';
import { parseMinPosition } from '../../infrastructure/projection-freshness';
import { requireJsonBodyIfAny } from '../../infrastructure/json-body';
import { StartServicesHandler } from './start-services.handler';
import { StartServicesRequest } from './start-services.request';

export class StartedServiceView {
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ example: 'cloud-backup-m365' }) serviceCode!: string;
  @ApiProperty({ enum: ['in-progress', 'started', 'partially-completed', 'failed'] }) state!: string;
  @ApiProperty({ description: 'This request started it (false: it was being started or started already)' }) requested!: boolean;
}

export class StartServicesView {
  @ApiProperty({ format: 'uuid' }) provisioningId!: string;
  @ApiProperty({ type: [StartedServiceView] }) services!: StartedServiceView[];
}

@ApiTags('subscriptions')
@Controller('api/v1/customers')
export class StartServicesHttpController {
  constructor(private readonly handler: StartServicesHandler) {}

  @Post(':id/services\\:start')
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start services for a customer with an available subscription (F12)',
    description:
      'Runs a provisioning process per service (not started → in progress → started / partially completed / failed); follow it in GET …/services. Refused for customers that are not active, in customer management mode or disconnected.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: StartServicesView, headers: LOG_POSITION_DOC })
  @ApiProblems(
    [400, 'REQUEST.INVALID with the failing fields'],
    FORBIDDEN_DOC,
    NOT_FOUND_DOC,
    [409, 'CUSTOMER.CUSTOMER_MANAGED, CUSTOMER.NOT_ACTIVE, SUBSCRIPTION.NONE_AVAILABLE'],
    [415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE (a body that is not JSON)'],
  )
  async start(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: StartServicesRequest,
    @Headers('x-min-position') minPosition: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StartServicesView> {
    requireJsonBodyIfAny(req);
    const customerId = requireCustomerId(id);
    const outcome = await this.handler.execute({
      actor,
      customerId,
      serviceCodes: body.serviceCodes,
      minPosition: parseMinPosition(minPosition),
    });
    setLogPosition(res, outcome.position);
    return { provisioningId: outcome.provisioningId, services: outcome.services };
  }
}
