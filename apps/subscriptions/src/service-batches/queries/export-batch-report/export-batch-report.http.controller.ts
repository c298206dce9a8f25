import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems, requireBatchId, SERVICE_BATCHES_PATH } from '../../infrastructure/batch-http';
import { CSV_CONTENT_TYPE, ExportBatchReportQuery, XLSX_CONTENT_TYPE } from './export-batch-report.query';
import { ExportBatchReportParams } from './export-batch-report.request';

@ApiTags('service-batches')
@Controller(SERVICE_BATCHES_PATH)
export class ExportBatchReportHttpController {
  constructor(private readonly query: ExportBatchReportQuery) {}

  @Get(':id/report')
  @ApiOperation({
    summary: 'Export a batch edit’s per-customer result report as CSV or XLSX (F13)',
    description: 'Columns: Customer ID, Organization, Outcome, Reason, Subscription ID, Attempts, Updated at; one row per customer in request order.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces(CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'The report as an attachment',
    content: { [CSV_CONTENT_TYPE]: { schema: { type: 'string' } }, [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems([400, 'REQUEST.INVALID: format must be csv or xlsx'], [404, 'SERVICE_BATCH.NOT_FOUND: unknown or another partner’s'])
  async export(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query() params: ExportBatchReportParams,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const report = await this.query.execute(actor.partnerId, requireBatchId(id), params.format ?? 'csv');
    res.setHeader('Content-Type', report.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${report.fileName}"`);
    res.setHeader('Content-Length', String(report.body.length));
    return new StreamableFile(report.body);
  }
}
