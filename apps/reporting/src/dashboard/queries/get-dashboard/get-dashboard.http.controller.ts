import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type AuthenticatedActor } from '@platform/service-kit';
import { ApiProblems } from '../../../api-keys/infrastructure/api-problems';
import type { DashboardView } from '../../domain/dashboard-view';
import { suspiciousItemRows } from '../../domain/suspicious-items';
import { suspiciousItemsWorkbook, XLSX_CONTENT_TYPE } from '../../infrastructure/suspicious-items.xlsx';
import { ExportSuspiciousItemsQuery, type SuspiciousItems } from '../export-suspicious-items/export-suspicious-items.query';
import { DashboardDto, DashboardQueryDto, SuspiciousItemsDto, SuspiciousItemsQueryDto } from './dashboard.dto';
import { GetDashboardQuery } from './get-dashboard.query';

const DEFAULT_RANGE_DAYS = 30;

@ApiTags('dashboard')
@Controller('api/v1/customers')
export class DashboardHttpController {
  constructor(
    private readonly dashboard: GetDashboardQuery,
    private readonly suspicious: ExportSuspiciousItemsQuery,
  ) {}

  @Get(':id/dashboard')
  @ApiOperation({
    summary: 'Customer detailed dashboard (F14)',
    description:
      'Products & subscriptions, report activity, backup status, storage report, unusual activities, policy monitor, risk insights, SharePoint storage with a forecast, service health. In customer management mode only products & subscriptions.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DashboardDto })
  @ApiProblems([400, 'REQUEST.INVALID (query)'], [404, 'CUSTOMER.NOT_FOUND'])
  get(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Query() query: DashboardQueryDto): Promise<DashboardView> {
    return this.dashboard.execute(actor.partnerId, id, {
      statusFilter: query.status ?? [],
      unusualActivityDays: query.unusualActivityDays ?? DEFAULT_RANGE_DAYS,
    });
  }

  @Get(':id/dashboard/suspicious-items')
  @ApiOperation({ summary: 'Suspicious items of the unusual activities section, as JSON or an Excel file (format=xlsx)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/json', XLSX_CONTENT_TYPE)
  @ApiOkResponse({ type: SuspiciousItemsDto, description: 'JSON, or with format=xlsx a workbook with one row per suspicious file' })
  @ApiProblems([400, 'REQUEST.INVALID (query)'], [404, 'CUSTOMER.NOT_FOUND'], [409, 'CUSTOMER.CUSTOMER_MANAGED'])
  async suspiciousItems(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query() query: SuspiciousItemsQueryDto,
  ): Promise<SuspiciousItems | StreamableFile> {
    const items = await this.suspicious.execute(actor.partnerId, id, query.unusualActivityDays ?? DEFAULT_RANGE_DAYS);
    if ((query.format ?? 'json') === 'json') return items;
    const title = `Suspicious items — ${items.organizationName ?? items.customerId}`;
    const body = await suspiciousItemsWorkbook(suspiciousItemRows(items.findings), title);
    return new StreamableFile(body, {
      type: XLSX_CONTENT_TYPE,
      disposition: `attachment; filename="suspicious-items-${items.customerId}.xlsx"`,
      length: body.length,
    });
  }
}
