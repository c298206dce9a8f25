import type { Pool, PoolClient } from 'pg';
import { migrate, type Projection, type RecordedEvent } from '@platform/event-store';
import { SETTING_TEMPLATE_STREAM_CATEGORY, type SettingTemplateCreated } from '../domain/setting-template.events';

export const SETTING_TEMPLATES_PROJECTION = 'customers.setting-templates';

/** The partner's templates for the F5 drop-down; one row per template. */
export function migrateSettingTemplates(pool: Pool): Promise<string[]> {
  return migrate(pool, SETTING_TEMPLATES_PROJECTION, [
    {
      id: '001_setting_templates',
      sql: `CREATE TABLE setting_templates (
        template_id text PRIMARY KEY,
        partner_id text NOT NULL,
        name text NOT NULL,
        settings jsonb NOT NULL,
        tags jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      );
      CREATE INDEX setting_templates_partner_name ON setting_templates (partner_id, lower(name), template_id);`,
    },
  ]);
}

/** Templates are created once and never change (yet): an insert per creation, replays skipped. */
export class SettingTemplatesProjection implements Projection {
  readonly name = SETTING_TEMPLATES_PROJECTION;
  readonly filter = { categories: [SETTING_TEMPLATE_STREAM_CATEGORY], eventTypes: ['SettingTemplateCreated'] };

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const e of events) {
      if (e.type !== 'SettingTemplateCreated') continue;
      const data = e.data as SettingTemplateCreated['data'];
      await tx.query(
        `INSERT INTO setting_templates (template_id, partner_id, name, settings, tags, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (template_id) DO NOTHING`,
        [
          e.streamId.slice(e.streamId.indexOf('-') + 1),
          e.metadata.partnerId,
          data.name,
          JSON.stringify(data.settings),
          JSON.stringify(data.tags),
          e.metadata.occurredAt,
          e.metadata.actor.id,
        ],
      );
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('DELETE FROM setting_templates');
  }
}
