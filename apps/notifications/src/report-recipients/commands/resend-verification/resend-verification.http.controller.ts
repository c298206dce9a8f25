import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { isUuid } from '@platform/core';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import { ApiProblems, FORBIDDEN_DOC } from '../../../shared/api-problems';
import { customerNotFound } from '../../domain/report-recipients.errors';
import { ResendVerificationHandler } from './resend-verification.handler';
import { ResendVerificationRequest, VerificationRequestDto } from './resend-verification.request';

@ApiTags('notifications')
@Controller('api/v1/customers')
export class ResendVerificationHttpController {
  constructor(private readonly handler: ResendVerificationHandler) {}

  @Post(':id/report-recipients/verification-requests')
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a report recipient a new verification email (the previous link stops working)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: VerificationRequestDto })
  @ApiProblems(
    [400, 'REQUEST.INVALID with the failing fields'],
    FORBIDDEN_DOC,
    [404, 'CUSTOMER.NOT_FOUND, REPORT_RECIPIENT.NOT_FOUND (not one of its report addresses)'],
    [409, 'REPORT_RECIPIENT.ALREADY_VERIFIED'],
  )
  request(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Body() body: ResendVerificationRequest): Promise<VerificationRequestDto> {
    if (!isUuid(id)) throw customerNotFound();
    return this.handler.execute(actor, id.toLowerCase(), body.email);
  }
}
