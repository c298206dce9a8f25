import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@platform/service-kit';
import type { Pool } from 'pg';
import { REPORT_TEMPLATES_TABLE } from '../../projections/report-templates.projection';
import type { ReportTemplateListView, ReportTemplateView } from './report-template.view';

interface Row {
  template_id: string;
  name: string;
  description: string | null;
  sections: string[];
  details: boolean;
  customer_ids: string[];
  created_at: Date;
  updated_at: Date;
}

/** The partner's templates by name; `withoutCustomers` keeps those usable for any customer (F15 generate dialog). */
@Injectable()
export class ListReportTemplatesQuery {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(partnerId: string, options: { withoutCustomers?: boolean } = {}): Promise<ReportTemplateListView> {
    const { rows } = await this.pool.query<Row>(
      `SELECT template_id, name, description, sections, details, customer_ids, created_at, updated_at
         FROM ${REPORT_TEMPLATES_TABLE}
        WHERE partner_id = $1 ${options.withoutCustomers ? `AND jsonb_array_length(customer_ids) = 0` : ''}
        ORDER BY lower(name), template_id LIMIT 1000`,
      [partnerId],
    );
    return { items: rows.map(toView) };
  }
}

const toView = (r: Row): ReportTemplateView => ({
  id: r.template_id,
  name: r.name,
  description: r.description,
  sections: r.sections,
  details: r.details,
  customerIds: r.customer_ids,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
