import { Injectable } from '@nestjs/common';
import { Workbook } from 'exceljs';
import { GetServiceBatchQuery } from '../get-service-batch/get-service-batch.query';
import { REPORT_COLUMNS, reportRows, toCsv, type ReportFormat } from './batch-report';

export interface ExportedReport {
  fileName: string;
  contentType: string;
  body: Buffer;
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** F13: the per-customer result report of a batch, as CSV or XLSX (a running batch exports what it has so far). */
@Injectable()
export class ExportBatchReportQuery {
  constructor(private readonly batches: GetServiceBatchQuery) {}

  async execute(partnerId: string, batchId: string, format: ReportFormat): Promise<ExportedReport> {
    const { batch, names } = await this.batches.execute(partnerId, batchId);
    const rows = reportRows(batch, names);
    const fileName = `service-batch-${batchId}.${format}`;
    if (format === 'csv') return { fileName, contentType: CSV_CONTENT_TYPE, body: Buffer.from(toCsv(REPORT_COLUMNS, rows), 'utf8') };

    const workbook = new Workbook();
    workbook.created = new Date(batch.startedAt ?? Date.now());
    const sheet = workbook.addWorksheet('Results');
    sheet.columns = REPORT_COLUMNS.map((header, i) => ({ header, key: `c${i}`, width: i === 0 || i === 1 || i === 4 ? 38 : 24 }));
    sheet.getRow(1).font = { bold: true };
    // Every value is written as text or number: nothing in a cell is evaluated as a formula.
    for (const row of rows) sheet.addRow([...row]);
    const summary = workbook.addWorksheet('Batch');
    summary.addRows([
      ['Batch ID', batchId],
      ['Service', batch.serviceCode],
      ['Changes', JSON.stringify(batch.changes)],
      ['State', batch.status],
      ['Attempt', batch.attempt],
      ['Started at', batch.startedAt ?? ''],
      ['Completed at', batch.completedAt ?? ''],
    ]);
    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    return { fileName, contentType: XLSX_CONTENT_TYPE, body };
  }
}
