import { Controller, Get, Headers, Param } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type AuthenticatedActor } from '@platform/service-kit';
import { requireCustomerId } from '../../infrastructure/customer-access';
import { ApiProblems, NOT_FOUND_DOC } from '../../infrastructure/http-docs';
import { parseMinPosition } from '../../infrastructure/projection-freshness';
import { ListCustomerServicesQuery } from './list-customer-services.query';
import { CustomerServicesView } from './service-view';

@ApiTags('subscriptions')
@Controller('api/v1/customers')
export class ListCustomerServicesHttpController {
  constructor(private readonly query: ListCustomerServicesQuery) {}

  @Get(':id/services')
  @ApiOperation({
    summary: "The customer's services: subscriptions with their provisioning state (F10–F12)",
    description: 'Expired services are left out while the customer’s expired services are hidden (F11). Every role may read.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'X-Min-Position', required: false, description: 'X-Log-Position of a write to see in this answer' })
  @ApiOkResponse({ type: CustomerServicesView })
  @ApiProblems([400, 'REQUEST.INVALID_MIN_POSITION'], NOT_FOUND_DOC)
  list(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Headers('x-min-position') minPosition: string | undefined,
  ): Promise<CustomerServicesView> {
    return this.query.execute(actor.partnerId, requireCustomerId(id), parseMinPosition(minPosition));
  }
}
