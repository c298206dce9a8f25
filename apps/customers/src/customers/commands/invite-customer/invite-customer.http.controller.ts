import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems, WRITE_HEADERS_DOC, setWriteHeaders } from '../../infrastructure/customer-response';
import { InviteCustomerHandler } from './invite-customer.handler';
import { InvitationResponseDto, InviteCustomerRequest } from './invite-customer.request';

@ApiTags('customers')
@Controller('api/v1/customers')
export class InviteCustomerHttpController {
  constructor(private readonly handler: InviteCustomerHandler) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({
    summary: 'Invite a customer (F1)',
    description:
      'Creates the customer in status `invited` with a personalised, signed link that expires (7 days) and works once, and a localised draft email. `authorization-link` invitations may omit the contact email.',
  })
  @ApiCreatedResponse({
    type: InvitationResponseDto,
    headers: { Location: { description: '/api/v1/customers/{id}', schema: { type: 'string' } }, ...WRITE_HEADERS_DOC },
  })
  @ApiProblems([400, 'Invalid body (REQUEST.INVALID, CUSTOMER.INVALID) with the failing fields'], [403, 'AUTH.FORBIDDEN (auditor)'])
  async invite(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: InviteCustomerRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvitationResponseDto> {
    const { outcome, invitation } = await this.handler.execute({ actor, invitation: { ...body } });
    setWriteHeaders(res, outcome);
    res.setHeader('Location', `/api/v1/customers/${outcome.customerId}`);
    return { id: outcome.customerId, status: 'invited', invitation };
  }
}
