import type { Pool, PoolClient } from 'pg';
import { migrate, type Projection, type RecordedEvent } from '@platform/event-store';
import { REPORT_TEMPLATE_CATEGORY, type ReportTemplateEvent } from '../domain/report-template.events';

export const REPORT_TEMPLATES_TABLE = 'reporting_report_templates';

export function migrateReportTemplates(pool: Pool): Promise<string[]> {
  return migrate(pool, 'reporting-report-templates', [
    {
      id: '001_report_templates',
      sql: `
        CREATE TABLE ${REPORT_TEMPLATES_TABLE} (
          template_id text PRIMARY KEY,
          partner_id text NOT NULL,
          name text NOT NULL,
          description text,
          sections jsonb NOT NULL,
          details boolean NOT NULL,
          customer_ids jsonb NOT NULL,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        );
        CREATE INDEX reporting_report_templates_partner ON ${REPORT_TEMPLATES_TABLE} (partner_id, name, template_id);
      `,
    },
  ]);
}

/** The template list (F15) from `reporttemplate-*` streams; a deleted template's row goes. */
export class ReportTemplatesProjection implements Projection {
  readonly name = 'reporting.report-templates';
  readonly filter = { categories: [REPORT_TEMPLATE_CATEGORY] };

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const recorded of events) {
      const e = recorded as unknown as ReportTemplateEvent & RecordedEvent;
      const at = recorded.metadata.occurredAt;
      switch (e.type) {
        case 'ReportTemplateCreated':
        case 'ReportTemplateUpdated': {
          const d = e.data;
          await tx.query(
            `INSERT INTO ${REPORT_TEMPLATES_TABLE}
               (template_id, partner_id, name, description, sections, details, customer_ids, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb, $8, $8)
             ON CONFLICT (template_id) DO UPDATE SET name = $3, description = $4, sections = $5::jsonb, details = $6,
               customer_ids = $7::jsonb, updated_at = $8`,
            [d.templateId, recorded.metadata.partnerId, d.name, d.description, JSON.stringify(d.sections), d.details, JSON.stringify(d.customerIds), at],
          );
          break;
        }
        case 'ReportTemplateDeleted':
          await tx.query(`DELETE FROM ${REPORT_TEMPLATES_TABLE} WHERE template_id = $1`, [e.data.templateId]);
          break;
      }
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${REPORT_TEMPLATES_TABLE}`);
  }
}
