import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { NotFoundError, type Clock } from '@platform/core';
import { CurrentActor, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { ApiProblems, requireId } from '../reports/infrastructure/http';
import { REPORTING_CLOCK } from '../reports/infrastructure/reporting-clock';
import { ReportExporter } from './infrastructure/report-exporter';
import { ExportJobStatusQuery, ExportReportQuery } from './queries/export-report/export-report.request';
import { ReportDocuments } from './queries/report-documents';

const customerNotFound = () => new NotFoundError('CUSTOMER.NOT_FOUND', 'Customer not found.');
const FILE_DOC = {
  status: 200,
  description: 'The file (streamed), `Content-Disposition: attachment` with the sanitised name (`filename*` UTF-8)',
  schema: { type: 'string', format: 'binary' },
} as const;
const PRODUCES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf'];
const INVALID_DOC: [number, string] = [400, 'REQUEST.INVALID: format, details, fileName or product invalid (failing fields listed)'];
const NOT_FOUND_DOC: [number, string] = [404, 'CUSTOMER.NOT_FOUND (unknown, disconnected or another partner’s)'];

/** Export now (F16 per customer, F17 over all customers); every role may export. */
@ApiTags('reports')
@Controller('api/v1')
export class ExportsHttpController {
  constructor(
    private readonly documents: ReportDocuments,
    private readonly exporter: ReportExporter,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
  ) {}

  @Get('customers/:id/reports/storage-consumption')
  @ApiOperation({ summary: 'Storage consumption report of a customer (F16): CSV, XLSX or PDF, with or without details' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces(...PRODUCES)
  @ApiResponse(FILE_DOC)
  @ApiProblems(INVALID_DOC, NOT_FOUND_DOC)
  async storageConsumption(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query() query: ExportReportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const customer = await this.documents.customer(actor.partnerId, requireId(id, customerNotFound));
    if (!customer) throw customerNotFound();
    const details = query.details === 'true';
    const fileName = this.exporter.fileName(query.fileName, query.format, `storage-consumption-${slug(customer.organizationName)}`);
    const doc = this.documents.customerReport(customer, 'Storage consumption report', ['storage-consumption'], details, this.clock.now());
    await this.exporter.send({ actor, customerId: customer.customerId, reportKind: 'storage-consumption', format: query.format, details, fileName }, doc, res);
  }

  @Get('customers/:id/reports/job-status')
  @ApiOperation({ summary: 'Backup job status report of a customer (F16): CSV, XLSX or PDF, with or without details' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces(...PRODUCES)
  @ApiResponse(FILE_DOC)
  @ApiProblems(INVALID_DOC, NOT_FOUND_DOC)
  async jobStatus(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query() query: ExportJobStatusQuery,
    @Res() res: Response,
  ): Promise<void> {
    const customer = await this.documents.customer(actor.partnerId, requireId(id, customerNotFound));
    if (!customer) throw customerNotFound();
    const details = query.details === 'true';
    const fileName = this.exporter.fileName(query.fileName, query.format, `job-status-${slug(customer.organizationName)}`);
    const doc = this.documents.customerReport(customer, 'Job status report', ['job-status'], details, this.clock.now(), { product: query.product });
    await this.exporter.send({ actor, customerId: customer.customerId, reportKind: 'job-status', format: query.format, details, fileName }, doc, res);
  }

  @Get('reports/customer-information')
  @ApiOperation({ summary: 'Customer information report over all customers (F17), exported now' })
  @ApiProduces(...PRODUCES)
  @ApiResponse(FILE_DOC)
  @ApiProblems(INVALID_DOC)
  async customerInformation(@CurrentActor() actor: AuthenticatedActor, @Query() query: ExportReportQuery, @Res() res: Response): Promise<void> {
    const details = query.details === 'true';
    const fileName = this.exporter.fileName(query.fileName, query.format, 'customer-information');
    const doc = await this.documents.customerInformationReport(actor.partnerId, details, this.clock.now());
    await this.exporter.send({ actor, reportKind: 'customer-information', format: query.format, details, fileName }, doc, res);
  }

  @Get('reports/job-status')
  @ApiOperation({ summary: 'Cloud Backup job status report over all customers (F17), exported now; `product` narrows it to one product' })
  @ApiProduces(...PRODUCES)
  @ApiResponse(FILE_DOC)
  @ApiProblems(INVALID_DOC)
  async allJobStatus(@CurrentActor() actor: AuthenticatedActor, @Query() query: ExportJobStatusQuery, @Res() res: Response): Promise<void> {
    const details = query.details === 'true';
    const fileName = this.exporter.fileName(query.fileName, query.format, 'job-status');
    const doc = await this.documents.jobStatusReport(actor.partnerId, details, this.clock.now(), { product: query.product });
    await this.exporter.send({ actor, reportKind: 'job-status', format: query.format, details, fileName }, doc, res);
  }
}

/** A default file name part from an organisation name. */
export function slug(name: string | null): string {
  return (name ?? 'customer').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60) || 'customer';
}
