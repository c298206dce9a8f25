import { Controller, DefaultValuePipe, Get, Inject, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@platform/core';
import { Roles } from '@platform/service-kit';
import { ApiProblems } from '../../../shared/api-problems';
import { MAILER } from '../../../shared/notifications.tokens';
import type { MailDelivery } from '../../infrastructure/mail-delivery';

export class CaughtMessageDto {
  @ApiProperty({ example: '42' }) id!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: [String] }) to!: string[];
  @ApiProperty() subject!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The plain-text part' }) text!: string | null;
}

export class CaughtMessageDetailDto extends CaughtMessageDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The HTML part' }) html!: string | null;
  @ApiProperty({ description: 'The message as received over SMTP (RFC 5322)' }) raw!: string;
}

export class MailboxDto {
  @ApiProperty({ type: [CaughtMessageDto] }) items!: CaughtMessageDto[];
}

const mailboxNotFound = () =>
  new NotFoundError('MAILBOX.NOT_FOUND', 'The dev mailbox exists only in embedded mode without SMTP_URL.');

/**
 * What the embedded mail catcher received (embedded mode without SMTP_URL): what a newcomer's
 * system emailed, readable without a mail server. 404 in any other set-up.
 */
@ApiTags('notifications')
@Controller('api/v1/dev/mailbox')
export class DevMailboxHttpController {
  constructor(@Inject(MAILER) private readonly delivery: MailDelivery) {}

  @Get()
  @Roles('global-admin', 'admin-agent', 'auditor')
  @ApiOperation({ summary: 'Emails caught by the embedded mail catcher, newest first (embedded mode only)' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: MailboxDto })
  @ApiProblems([404, 'MAILBOX.NOT_FOUND: not embedded, or SMTP_URL is set'])
  async list(@Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number): Promise<MailboxDto> {
    const catcher = this.delivery.catcher;
    if (!catcher) throw mailboxNotFound();
    return { items: await catcher.list(Math.min(Math.max(limit, 1), 500)) };
  }

  @Get(':id')
  @Roles('global-admin', 'admin-agent', 'auditor')
  @ApiOperation({ summary: 'One caught email with its HTML part and raw source (embedded mode only)' })
  @ApiOkResponse({ type: CaughtMessageDetailDto })
  @ApiProblems([404, 'MAILBOX.NOT_FOUND'])
  async get(@Param('id') id: string): Promise<CaughtMessageDetailDto> {
    const catcher = this.delivery.catcher;
    if (!catcher) throw mailboxNotFound();
    const found = await catcher.get(id);
    if (!found) throw new NotFoundError('MAILBOX.NOT_FOUND', 'No such message.');
    return { ...found.summary, html: found.html, raw: found.raw };
  }
}
