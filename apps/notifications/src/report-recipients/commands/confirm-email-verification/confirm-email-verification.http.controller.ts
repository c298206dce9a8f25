import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@platform/service-kit';
import { ApiProblems } from '../../../shared/api-problems';
import { ConfirmEmailVerificationHandler } from './confirm-email-verification.handler';

export class EmailVerificationDto {
  @ApiProperty({ enum: ['verified'] }) status!: 'verified';
  @ApiProperty({ format: 'date-time' }) verifiedAt!: string;
}

/** The customer side of address verification (F15): public, the signed token is the credential. */
@ApiTags('notifications')
@Controller('api/v1/email-verifications')
export class ConfirmEmailVerificationHttpController {
  constructor(private readonly handler: ConfirmEmailVerificationHandler) {}

  @Post(':token\\:confirm')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Confirm a report recipient’s email address with the token of its verification email (public)',
    description: 'Idempotent: confirming a verified address again answers the same.',
  })
  @ApiParam({ name: 'token', description: 'The signed token from the verification link (a bearer secret)' })
  @ApiOkResponse({ type: EmailVerificationDto })
  @ApiProblems(
    [404, 'EMAIL_VERIFICATION.NOT_FOUND: forged, removed or replaced link'],
    [409, 'EMAIL_VERIFICATION.EXPIRED: the link ran out; saving the address again sends a new one'],
  )
  confirm(@Param('token') token: string): Promise<EmailVerificationDto> {
    return this.handler.execute(token);
  }
}
