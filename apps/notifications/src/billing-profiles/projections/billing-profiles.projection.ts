import type { PoolClient } from 'pg';
import type { Projection, RecordedEvent } from '@platform/event-store';
import { BILLING_PROFILE_CATEGORY, billingProfileSpec, type BillingProfileSettings } from '../domain/billing-profile';

export const BILLING_PROFILES_PROJECTION = 'notifications.billing-profiles';

/** `notifications_billing_profiles`: the live billing profiles, for lists and the billing scheduler. */
export const billingProfilesProjection: Projection = {
  name: BILLING_PROFILES_PROJECTION,
  filter: { categories: [BILLING_PROFILE_CATEGORY] },
  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const e of events) {
      const id = e.streamId.slice(BILLING_PROFILE_CATEGORY.length + 1);
      if (e.type === billingProfileSpec.events.created || e.type === billingProfileSpec.events.updated) {
        const d = e.data as { partnerId?: string; settings: BillingProfileSettings };
        await tx.query(
          `INSERT INTO notifications_billing_profiles (id, partner_id, name, frequency, send_day, send_month, version, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, frequency = EXCLUDED.frequency, send_day = EXCLUDED.send_day,
             send_month = EXCLUDED.send_month, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
          [id, d.partnerId ?? e.metadata.partnerId, d.settings.name, d.settings.frequency, d.settings.sendDay, d.settings.sendMonth, e.streamVersion, e.metadata.occurredAt],
        );
      } else if (e.type === billingProfileSpec.events.deleted) {
        await tx.query('DELETE FROM notifications_billing_profiles WHERE id = $1', [id]);
      }
    }
  },
  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE notifications_billing_profiles');
  },
};
