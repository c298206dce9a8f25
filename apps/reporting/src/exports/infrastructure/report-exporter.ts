import { Inject, Injectable, Logger } from '@nestjs/common';
import { uuidv7, type Clock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { REPORTING_CLOCK } from '../../reports/infrastructure/reporting-clock';
import { contentDisposition, sanitizeFileName } from '../domain/export-file-name';
import { CONTENT_TYPES, type ExportFormat, type ReportDocument } from '../domain/report-table';
import { writeReport } from './report-writers';

/** Report streams (`report-<id>`) are published by the relay when their event type is a contract; this one stays internal. */
export const REPORT_CATEGORY = 'report';
export const reportStreamId = (reportId: string): string => `${REPORT_CATEGORY}-${reportId}`;

/** An export made now (F16, F17): the report activity (F14) lists those of a customer. */
export type ReportExported = {
  type: 'ReportExported';
  data: { exportId: string; reportKind: string; format: ExportFormat; details: boolean; fileName: string };
};

export interface ExportRequest {
  actor: AuthenticatedActor;
  /** Absent for the reports over all customers. */
  customerId?: string;
  reportKind: string;
  format: ExportFormat;
  details: boolean;
  fileName: string;
}

/** Records an export in the log, then streams the document to the HTTP response with its file name. */
@Injectable()
export class ReportExporter {
  private readonly logger = new Logger('reporting.exports');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
  ) {}

  fileName(asked: string | undefined, format: ExportFormat, fallback: string): string {
    return sanitizeFileName(asked, format, fallback);
  }

  async send(request: ExportRequest, doc: ReportDocument, res: Response): Promise<void> {
    const exportId = uuidv7();
    const event: ReportExported = {
      type: 'ReportExported',
      data: { exportId, reportKind: request.reportKind, format: request.format, details: request.details, fileName: request.fileName },
    };
    await this.store.append(
      reportStreamId(exportId),
      [
        {
          id: uuidv7(),
          type: event.type,
          schemaVersion: 1,
          data: event.data,
          metadata: eventMetadataFor(request.actor, this.clock, request.customerId ? { customerId: request.customerId } : {}),
        },
      ],
      { expectedVersion: 'no_stream' },
    );
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[request.format]);
    res.setHeader('Content-Disposition', contentDisposition(request.fileName));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      await writeReport(doc, request.format, res);
    } catch (e) {
      // Headers are gone: the only honest signal left is a broken transfer.
      this.logger.warn(`export ${exportId} (${request.reportKind}) failed mid-stream: ${(e as Error).message}`);
      res.destroy(e as Error);
    }
  }
}
