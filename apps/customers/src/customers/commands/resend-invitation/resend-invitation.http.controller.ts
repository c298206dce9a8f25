import { Body, Controller, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, IfMatch, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Request, Response } from 'express';
import { ApiProblems, WRITE_HEADERS_DOC, requireCustomerId, requireJsonBodyIfAny, setWriteHeaders } from '../../infrastructure/customer-response';
import { InvitationResponseDto } from '../invite-customer/invite-customer.request';
import { ResendInvitationHandler } from './resend-invitation.handler';
import { ResendInvitationRequest } from './resend-invitation.request';

@ApiTags('customers')
@Controller('api/v1/customers')
export class ResendInvitationHttpController {
  constructor(private readonly handler: ResendInvitationHandler) {}

  // `\\:` is a literal colon (custom method `:resend`), not a route parameter.
  @Post(':id/invitation\\:resend')
  @HttpCode(HttpStatus.OK)
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({
    summary: 'Resend the invitation (F1)',
    description: 'Issues a new link and expiry; the previous link stops working. A revoked invitation is re-opened.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: InvitationResponseDto, headers: WRITE_HEADERS_DOC })
  @ApiProblems(
    [404, 'CUSTOMER.NOT_FOUND'],
    [409, 'CUSTOMER.NOT_INVITED (already accepted), CUSTOMER.CONCURRENT_UPDATE'],
    [412, 'REQUEST.PRECONDITION_FAILED (If-Match is stale)'],
    [415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE (a body that is not JSON)'],
  )
  async resend(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: ResendInvitationRequest,
    @IfMatch() ifMatch: number | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvitationResponseDto> {
    requireJsonBodyIfAny(req);
    const { outcome, invitation } = await this.handler.execute({ actor, customerId: requireCustomerId(id), ifMatch, ...body });
    setWriteHeaders(res, outcome);
    return { id: outcome.customerId, status: 'invited', invitation };
  }
}
