import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type AuthenticatedActor } from '@platform/service-kit';
import { ApiProblems } from '../../../shared/api-problems';
import { REPORT_PURPOSES } from '../../domain/report-recipients';
import { ListReportRecipientsQuery } from './list-report-recipients.query';

export class ReportRecipientDto {
  @ApiProperty({ example: 'reports@contoso.com' }) email!: string;
  @ApiProperty({ enum: REPORT_PURPOSES, isArray: true, description: 'service and/or billing reports' }) purposes!: string[];
  @ApiProperty({ enum: ['pending', 'verified', 'expired'], description: 'Reports reach only `verified` addresses' }) state!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the verification link stops working' }) expiresAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) verifiedAt!: string | null;
}

export class ReportRecipientListDto {
  @ApiProperty({ type: [ReportRecipientDto] }) items!: ReportRecipientDto[];
}

@ApiTags('notifications')
@Controller('api/v1/customers')
export class ListReportRecipientsHttpController {
  constructor(private readonly query: ListReportRecipientsQuery) {}

  @Get(':id/report-recipients')
  @ApiOperation({
    summary: 'The customer’s report recipients and whether each verified its address (F2, F15)',
    description: 'Addresses come from the customer’s service and billing report settings; each got a verification email.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReportRecipientListDto })
  @ApiProblems([404, 'CUSTOMER.NOT_FOUND (unknown, disconnected or another partner’s)'])
  list(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string): Promise<ReportRecipientListDto> {
    return this.query.execute(actor.partnerId, id);
  }
}
