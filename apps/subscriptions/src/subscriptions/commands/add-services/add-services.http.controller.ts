import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { requireCustomerId } from '../../infrastructure/customer-access';
import { ApiProblems, FORBIDDEN_DOC, LOG_POSITION_DOC, NOT_FOUND_DOC, setLogPosition } from '../../infrastructure/http-docs';
import { ServiceView, toServiceView } from '../../queries/list-customer-services/service-view';
import { AddServicesHandler } from './add-services.handler';
import { AddServicesRequest } from './add-services.request';

export class AddedServicesView {
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ type: [ServiceView] }) services!: ServiceView[];
}

@ApiTags('subscriptions')
@Controller('api/v1/customers')
export class AddServicesHttpController {
  constructor(private readonly handler: AddServicesHandler) {}

  @Post(':id/services')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({
    summary: 'Add one or several services to a customer (F10)',
    description: 'Trial or paid, quantity (seats or GB), term, pooled or dedicated, renewal. All or nothing: one invalid service adds none.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: AddedServicesView, headers: LOG_POSITION_DOC })
  @ApiProblems(
    [400, 'REQUEST.INVALID, SUBSCRIPTION.INVALID with the failing fields'],
    FORBIDDEN_DOC,
    NOT_FOUND_DOC,
    [409, 'SUBSCRIPTION.ALREADY_SUBSCRIBED, CUSTOMER.CUSTOMER_MANAGED, CUSTOMER.NOT_ACTIVE (revoked invitation)'],
  )
  async add(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: AddServicesRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AddedServicesView> {
    const customerId = requireCustomerId(id);
    const outcomes = await this.handler.execute({ actor, customerId, services: body.services });
    setLogPosition(res, outcomes[outcomes.length - 1]?.position);
    return { customerId, services: outcomes.map((o) => toServiceView(o.state, o.version)) };
  }
}
