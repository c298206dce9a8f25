import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-kit';
import type { SettingTemplateResponse } from '../get-setting-template/setting-template.response';

/** A partner keeps a handful of templates: the drop-down gets them all, by name. */
export const TEMPLATE_LIST_MAX = 500;

@Injectable()
export class ListSettingTemplatesQuery {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(partnerId: string): Promise<{ items: SettingTemplateResponse[] }> {
    const { rows } = await this.pool.query<{
      template_id: string;
      name: string;
      settings: SettingTemplateResponse['settings'];
      tags: string[];
      created_at: Date;
    }>(
      `SELECT template_id, name, settings, tags, created_at FROM setting_templates
       WHERE partner_id = $1 ORDER BY lower(name), template_id LIMIT $2`,
      [partnerId, TEMPLATE_LIST_MAX],
    );
    return {
      items: rows.map((r) => ({ id: r.template_id, name: r.name, settings: r.settings, tags: r.tags, createdAt: r.created_at.toISOString() })),
    };
  }
}
