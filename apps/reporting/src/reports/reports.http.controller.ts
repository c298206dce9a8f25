import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CustomerDirectory } from '@platform/customer-directory';
import { CurrentActor, Public, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Request, Response } from 'express';
import { contentDisposition } from '../exports/domain/export-file-name';
import { GenerateReportHandler, customerNotFound } from './commands/generate-report/generate-report.handler';
import { GeneratedReportDto, GenerateReportRequest } from './commands/generate-report/generate-report.request';
import { ApiProblems, FORBIDDEN_DOC, LOG_POSITION_DOC, requireId, requireJsonBody, setLogPosition } from './infrastructure/http';
import { ReportFilesQuery, reportNotFound, type ReportFile } from './queries/download-report/report-files.query';
import { ListReportActivityQuery } from './queries/list-report-activity/list-report-activity.query';
import { ReportActivityListView } from './queries/list-report-activity/report-activity.view';

const NOT_FOUND_DOC: [number, string] = [404, 'CUSTOMER.NOT_FOUND (unknown, disconnected or another partner’s), REPORT_TEMPLATE.NOT_FOUND'];
const FILE_DOC = { status: 200, description: 'The report file', schema: { type: 'string', format: 'binary' } } as const;

function sendFile(res: Response, file: ReportFile): void {
  res.status(200);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', contentDisposition(file.fileName));
  res.setHeader('Content-Length', String(file.content.length));
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(file.content);
}

/** F15 reports generated for a customer from a template, their downloads and the customer's report activity (F14). */
@ApiTags('reports')
@Controller('api/v1')
export class ReportsHttpController {
  constructor(
    private readonly generate: GenerateReportHandler,
    private readonly files: ReportFilesQuery,
    private readonly activity: ListReportActivityQuery,
    private readonly directory: CustomerDirectory,
  ) {}

  @Post('customers/:id/reports')
  @HttpCode(HttpStatus.CREATED)
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({
    summary: 'Generate a report for a customer from a template and send it to the chosen recipients (F15)',
    description:
      'Only templates that define no customers can be used. Customer recipients need the customer’s service reports enabled and an address the customer verified. The recipients get an email with a signed download link valid 7 days.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: GeneratedReportDto, headers: LOG_POSITION_DOC })
  @ApiProblems(
    [400, 'REQUEST.INVALID with the failing fields'],
    FORBIDDEN_DOC,
    NOT_FOUND_DOC,
    [409, 'REPORT.TEMPLATE_HAS_CUSTOMERS, REPORT.SERVICE_REPORTS_DISABLED, REPORT.RECIPIENT_NOT_VERIFIED (details.unverified lists the addresses)'],
  )
  async generateReport(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: GenerateReportRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GeneratedReportDto> {
    requireJsonBody(req);
    const { report, position } = await this.generate.execute({
      actor,
      customerId: requireId(id, customerNotFound),
      templateId: body.templateId.toLowerCase(),
      format: body.format,
      recipients: body.recipients.map((r) => ({ email: r.email, kind: r.kind })),
      fileName: body.fileName,
    });
    setLogPosition(res, position);
    res.setHeader('Location', `/api/v1/reports/${report.id}/file`);
    return report;
  }

  @Get('customers/:id/reports')
  @ApiOperation({ summary: 'Report activity of a customer (F14): reports generated and exports made, newest first' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ type: ReportActivityListView })
  @ApiProblems(NOT_FOUND_DOC)
  async listActivity(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query('limit') limit?: string,
  ): Promise<ReportActivityListView> {
    const customerId = requireId(id, customerNotFound);
    const customer = await this.directory.getForPartner(actor.partnerId, customerId);
    if (!customer || customer.status === 'disconnected') throw customerNotFound();
    const n = Number(limit ?? 100);
    return this.activity.execute(actor.partnerId, customerId, Number.isInteger(n) && n >= 1 && n <= 500 ? n : 100);
  }

  @Get('reports/:reportId/download')
  @Public()
  @ApiOperation({ summary: 'Download a report through its signed, time-limited link (the link emailed to recipients; no token needed)' })
  @ApiParam({ name: 'reportId', format: 'uuid' })
  @ApiQuery({ name: 'expires', required: true })
  @ApiQuery({ name: 'sig', required: true })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  @ApiResponse(FILE_DOC)
  @ApiProblems([404, 'REPORT.NOT_FOUND (unknown report, altered or forged link)'], [410, 'REPORT.LINK_EXPIRED'])
  async download(
    @Param('reportId') reportId: string,
    @Query('expires') expires: string | undefined,
    @Query('sig') sig: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    sendFile(res, await this.files.byLink(requireId(reportId, reportNotFound), expires, sig));
  }

  @Get('reports/:reportId/file')
  @ApiOperation({ summary: 'Download a generated report or scheduled export as a signed-in user of its partner (auditors too)' })
  @ApiParam({ name: 'reportId', format: 'uuid' })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  @ApiResponse(FILE_DOC)
  @ApiProblems([404, 'REPORT.NOT_FOUND (unknown or another partner’s)'], [410, 'REPORT.LINK_EXPIRED'])
  async file(@CurrentActor() actor: AuthenticatedActor, @Param('reportId') reportId: string, @Res() res: Response): Promise<void> {
    sendFile(res, await this.files.forPartner(actor.partnerId, requireId(reportId, reportNotFound)));
  }
}
