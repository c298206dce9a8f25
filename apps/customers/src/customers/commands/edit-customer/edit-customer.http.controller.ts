import { Body, Controller, Param, Patch, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, IfMatch, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import type { CustomerChanges } from '../../domain/customer.events';
import {
  ApiProblems,
  CustomerResponseDto,
  WRITE_HEADERS_DOC,
  requireCustomerId,
  setWriteHeaders,
  toCustomerResponse,
} from '../../infrastructure/customer-response';
import { EditCustomerHandler } from './edit-customer.handler';
import { EditCustomerRequest } from './edit-customer.request';

/** The request's given fields only (absent ones are `undefined` on the DTO instance). */
function changesOf(body: EditCustomerRequest): CustomerChanges {
  const changes: CustomerChanges = {};
  if (body.organizationName !== undefined) changes.organizationName = body.organizationName;
  if (body.countryCode !== undefined) changes.countryCode = body.countryCode;
  if (body.locale !== undefined) changes.locale = body.locale;
  if (body.billingReports !== undefined) {
    const b = body.billingReports;
    changes.billingReports = {
      enabled: b.enabled,
      recipients: b.recipients,
      ...(b.billingProfileId !== undefined ? { billingProfileId: b.billingProfileId } : {}),
    };
  }
  if (body.serviceReports !== undefined) {
    changes.serviceReports = { enabled: body.serviceReports.enabled, recipients: body.serviceReports.recipients };
  }
  if (body.jobNotificationProfileId !== undefined) changes.jobNotificationProfileId = body.jobNotificationProfileId;
  return changes;
}

@ApiTags('customers')
@Controller('api/v1/customers')
export class EditCustomerHttpController {
  constructor(private readonly handler: EditCustomerHandler) {}

  @Patch(':id')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({
    summary: 'Edit customer information (F2)',
    description:
      'Name, country, locale, billing reports (recipients + billing profile), service reports, job notification profile. Only the given fields change; saving the current values records nothing. `If-Match: W/"<version>"` guards against lost updates.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CustomerResponseDto, headers: WRITE_HEADERS_DOC })
  @ApiProblems(
    [400, 'REQUEST.INVALID, CUSTOMER.INVALID with the failing fields'],
    [404, 'CUSTOMER.NOT_FOUND'],
    [409, 'CUSTOMER.CUSTOMER_MANAGED (customer management mode), CUSTOMER.CONCURRENT_UPDATE'],
    [412, 'REQUEST.PRECONDITION_FAILED'],
  )
  async edit(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: EditCustomerRequest,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerResponseDto> {
    const outcome = await this.handler.execute({ actor, customerId: requireCustomerId(id), changes: changesOf(body), ifMatch });
    setWriteHeaders(res, outcome);
    return toCustomerResponse(outcome.customerId, outcome.state, outcome.version);
  }
}
