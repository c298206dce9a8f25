import { Controller, Delete, HttpCode, HttpStatus, Param, Res } from '@nestjs/common';
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
import { RevokeInvitationHandler } from './revoke-invitation.handler';

@ApiTags('customers')
@Controller('api/v1/customers')
export class RevokeInvitationHttpController {
  constructor(private readonly handler: RevokeInvitationHandler) {}

  @Delete(':id/invitation')
  @HttpCode(HttpStatus.OK)
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Revoke the pending invitation (F1)', description: 'The link stops working; the customer becomes `revoked`.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CustomerResponseDto, headers: WRITE_HEADERS_DOC })
  @ApiProblems(
    [404, 'CUSTOMER.NOT_FOUND'],
    [409, 'CUSTOMER.NOT_INVITED (already accepted), CUSTOMER.INVITATION_REVOKED, CUSTOMER.CONCURRENT_UPDATE'],
    [412, 'REQUEST.PRECONDITION_FAILED'],
  )
  async revoke(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @IfMatch() ifMatch: number | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerResponseDto> {
    const outcome = await this.handler.execute({ actor, customerId: requireCustomerId(id), ifMatch });
    setWriteHeaders(res, outcome);
    return toCustomerResponse(outcome.customerId, outcome.state, outcome.version);
  }
}
