import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, uuidv7, type Clock } from '@platform/core';
import { CustomerDirectory } from '@platform/customer-directory';
import type { EventStore, NewEvent } from '@platform/event-store';
import { EVENT_STORE, PG_POOL, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import type { Pool } from 'pg';
import { sanitizeFileName } from '../../../exports/domain/export-file-name';
import { CONTENT_TYPES } from '../../../exports/domain/report-table';
import { reportStreamId } from '../../../exports/infrastructure/report-exporter';
import { renderReport } from '../../../exports/infrastructure/report-writers';
import { ReportDocuments } from '../../../exports/queries/report-documents';
import { ReportTemplateRunner } from '../../../report-templates/infrastructure/report-template-runner';
import { decideGenerateReport } from '../../domain/generate-report.decision';
import type { ReportRecipient, ReportFormat } from '../../domain/report.events';
import { DOWNLOAD_LINK_TTL_MS, ReportLinkSigner } from '../../infrastructure/report-link-signer';
import { REPORTING_CLOCK } from '../../infrastructure/reporting-clock';
import { REPORT_FILES_TABLE, VERIFIED_RECIPIENTS_TABLE } from '../../infrastructure/reports.schema';
import type { GeneratedReportDto } from './generate-report.request';

export interface GenerateReportCommand {
  actor: AuthenticatedActor;
  customerId: string;
  templateId: string;
  format: ReportFormat;
  recipients: ReportRecipient[];
  fileName?: string;
}

export const customerNotFound = (): NotFoundError => new NotFoundError('CUSTOMER.NOT_FOUND', 'Customer not found.');

/**
 * F15: renders the customer's report from the template once, keeps the file for the life of
 * its link, and appends `ReportRequested` + `ReportGenerated` to `report-<id>`; the relay
 * publishes `ReportGenerated` and the notifications service emails each recipient the link.
 */
@Injectable()
export class GenerateReportHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
    private readonly directory: CustomerDirectory,
    private readonly templates: ReportTemplateRunner,
    private readonly documents: ReportDocuments,
    private readonly signer: ReportLinkSigner,
  ) {}

  async execute(command: GenerateReportCommand): Promise<{ report: GeneratedReportDto; position: bigint }> {
    const { actor } = command;
    const customer = await this.directory.getForPartner(actor.partnerId, command.customerId);
    if (!customer || customer.status === 'disconnected') throw customerNotFound();
    const template = await this.templates.get(actor.partnerId, command.templateId);
    const { rows } = await this.pool.query<{ email: string }>(`SELECT email FROM ${VERIFIED_RECIPIENTS_TABLE} WHERE customer_id = $1`, [
      command.customerId,
    ]);
    const now = this.clock.now();
    const reportId = uuidv7(now.getTime());
    const expiresAt = new Date(now.getTime() + DOWNLOAD_LINK_TTL_MS);
    const fileName = sanitizeFileName(command.fileName, command.format, template.name);
    const decision = decideGenerateReport({
      reportId,
      customer: { customerId: command.customerId, locale: customer.locale, serviceReportsEnabled: customer.serviceReports.enabled },
      template,
      format: command.format,
      fileName,
      recipients: command.recipients,
      verifiedAddresses: new Set(rows.map((r) => r.email)),
      downloadLink: this.signer.link(reportId, expiresAt),
      expiresAt: expiresAt.toISOString(),
    });
    if (!decision.ok) throw decision.error;

    const doc = this.documents.customerReport(customer, template.name, template.sections, template.details, now);
    const content = await renderReport(doc, command.format);
    await this.pool.query(
      `INSERT INTO ${REPORT_FILES_TABLE} (report_id, partner_id, customer_id, file_name, content_type, content, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [reportId, actor.partnerId, command.customerId, fileName, CONTENT_TYPES[command.format], content, now, expiresAt],
    );
    const metadata = eventMetadataFor(actor, this.clock, { customerId: command.customerId });
    const events: NewEvent[] = decision.value.map((e) => ({ id: uuidv7(), type: e.type, schemaVersion: 1, data: e.data, metadata }));
    const result = await this.store.append(reportStreamId(reportId), events, { expectedVersion: 'no_stream' });
    const generated = decision.value.find((e) => e.type === 'ReportGenerated')!;
    return {
      report: {
        id: reportId,
        templateId: template.templateId,
        reportName: template.name,
        format: command.format,
        fileName,
        downloadLink: (generated.data as { downloadLink: string }).downloadLink,
        expiresAt: expiresAt.toISOString(),
        recipients: (generated.data as { recipients: ReportRecipient[] }).recipients,
      },
      position: result.lastGlobalPosition,
    };
  }
}
