import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, IfMatch, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import {
  ApiProblems,
  CustomerResponseDto,
  WRITE_HEADERS_DOC,
  requireCustomerId,
  setWriteHeaders,
  toCustomerResponse,
} from '../../infrastructure/customer-response';
import { ChangeManagementModeHandler } from './change-management-mode.handler';
import { ChangeManagementModeRequest } from './change-management-mode.request';

@ApiTags('customers')
@Controller('api/v1/customers')
export class ChangeManagementModeHttpController {
  constructor(private readonly handler: ChangeManagementModeHandler) {}

  @Put(':id/management-mode')
  @Roles('global-admin')
  @ApiOperation({
    summary: 'Change the management mode (F3, global-admin)',
    description:
      'partner → customer only, never back. In customer mode the partner only reads products & subscriptions: edits, tags, templates, service starts and environment access are refused.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CustomerResponseDto, headers: WRITE_HEADERS_DOC })
  @ApiProblems(
    [403, 'AUTH.FORBIDDEN (not global-admin)'],
    [404, 'CUSTOMER.NOT_FOUND'],
    [409, 'CUSTOMER.MANAGEMENT_MODE_IRREVERSIBLE (customer → partner), CUSTOMER.CONCURRENT_UPDATE'],
    [412, 'REQUEST.PRECONDITION_FAILED'],
  )
  async change(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: ChangeManagementModeRequest,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerResponseDto> {
    const outcome = await this.handler.execute({ actor, customerId: requireCustomerId(id), mode: body.mode, ifMatch });
    setWriteHeaders(res, outcome);
    return toCustomerResponse(outcome.customerId, outcome.state, outcome.version);
  }
}
