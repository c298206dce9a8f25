import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { isUuid, NotFoundError } from '@platform/core';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import { ApiProblems, FORBIDDEN_DOC } from '../../../shared/api-problems';
import { EMAIL_KINDS } from '../../domain/email-models';
import { EmailOutbox, type OutboxStatus } from '../../infrastructure/email-outbox';
import { EmailSender } from '../../infrastructure/email-sender';

const STATUSES = ['pending', 'sent', 'parked'] as const;

export class ListEmailsQuery {
  @ApiPropertyOptional({ enum: STATUSES, description: '`parked`: refused permanently (SMTP 5xx, bad address), not retried' })
  @IsOptional()
  @IsIn(STATUSES)
  status?: OutboxStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class EmailEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: EMAIL_KINDS }) kind!: string;
  @ApiProperty() recipient!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) customerId!: string | null;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true, description: 'SMTP code of the last refusal' }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) sentAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) nextAttemptAt!: string | null;
}

export class EmailListDto {
  @ApiProperty({ type: [EmailEntryDto] }) items!: EmailEntryDto[];
}

const emailNotFound = () => new NotFoundError('EMAIL.NOT_FOUND', 'No such email.');

/** The partner's emails: what is queued, sent and parked (F18), and a retry for parked ones. */
@ApiTags('notifications')
@Controller('api/v1/notifications/emails')
export class EmailsHttpController {
  constructor(
    private readonly outbox: EmailOutbox,
    private readonly sender: EmailSender,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Emails sent to this partner’s customers and users, newest first; `status=parked` lists the refused ones' })
  @ApiOkResponse({ type: EmailListDto })
  @ApiProblems([400, 'REQUEST.INVALID with the failing fields'])
  async list(@CurrentActor() actor: AuthenticatedActor, @Query() query: ListEmailsQuery): Promise<EmailListDto> {
    return {
      items: await this.outbox.list(actor.partnerId, {
        status: query.status,
        customerId: query.customerId?.toLowerCase(),
        limit: query.limit ?? 100,
      }),
    };
  }

  @Post(':id\\:retry')
  @HttpCode(HttpStatus.OK)
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Send a parked email again (after the address or the mail server was fixed)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: EmailEntryDto })
  @ApiProblems(FORBIDDEN_DOC, [404, 'EMAIL.NOT_FOUND (unknown, another partner’s, or not parked)'])
  async retry(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string): Promise<EmailEntryDto> {
    if (!isUuid(id)) throw emailNotFound();
    const entry = await this.outbox.requeue(actor.partnerId, id.toLowerCase());
    if (!entry) throw emailNotFound();
    this.sender.wake();
    return entry;
  }
}
