import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Public } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems, WRITE_HEADERS_DOC, setWriteHeaders } from '../../infrastructure/customer-response';
import { AcceptInvitationHandler } from './accept-invitation.handler';
import { AcceptInvitationRequest, AcceptedInvitationResponseDto } from './accept-invitation.request';

@ApiTags('invitations')
@Controller('api/v1/invitations')
export class AcceptInvitationHttpController {
  constructor(private readonly handler: AcceptInvitationHandler) {}

  // `\\:` is a literal colon (custom method `:accept`) after the token parameter.
  @Post(':token\\:accept')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Accept an invitation (F1, customer side)',
    description:
      'Public: the signed token in the link is the credential. The customer becomes `active` and the signed-in admin its registered account; an indirect provider named at invitation gets its relationship too. A link works once.',
  })
  @ApiParam({ name: 'token', description: 'The token of the invitation link' })
  @ApiOkResponse({ type: AcceptedInvitationResponseDto, headers: WRITE_HEADERS_DOC })
  @ApiProblems(
    [400, 'REQUEST.INVALID, CUSTOMER.INVALID (registeredAccount)'],
    [404, 'CUSTOMER.INVITATION_NOT_FOUND (bad signature, unknown or disconnected customer)'],
    [
      409,
      'CUSTOMER.INVITATION_EXPIRED, CUSTOMER.INVITATION_ALREADY_USED, CUSTOMER.INVITATION_REVOKED, CUSTOMER.INVITATION_SUPERSEDED (a resend replaced this link)',
    ],
  )
  async accept(
    @Param('token') token: string,
    @Body() body: AcceptInvitationRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcceptedInvitationResponseDto> {
    const outcome = await this.handler.execute({ token, registeredAccount: body.registeredAccount });
    setWriteHeaders(res, outcome);
    return { id: outcome.customerId, status: 'active' };
  }
}
