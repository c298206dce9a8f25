import type { PoolClient } from 'pg';
import type { Projection, RecordedEvent } from '@platform/event-store';
import {
  JOB_NOTIFICATION_PROFILE_CATEGORY,
  jobNotificationProfileSpec,
  type JobNotificationProfileSettings,
} from '../domain/job-notification-profile';

export const JOB_NOTIFICATION_PROFILES_PROJECTION = 'notifications.job-notification-profiles';

/** `notifications_job_notification_profiles`: the live profiles, for lists and the digest scheduler. */
export const jobNotificationProfilesProjection: Projection = {
  name: JOB_NOTIFICATION_PROFILES_PROJECTION,
  filter: { categories: [JOB_NOTIFICATION_PROFILE_CATEGORY] },
  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const e of events) {
      const id = e.streamId.slice(JOB_NOTIFICATION_PROFILE_CATEGORY.length + 1);
      if (e.type === jobNotificationProfileSpec.events.created || e.type === jobNotificationProfileSpec.events.updated) {
        const d = e.data as { partnerId?: string; settings: JobNotificationProfileSettings };
        const s = d.settings;
        await tx.query(
          `INSERT INTO notifications_job_notification_profiles
             (id, partner_id, name, outcomes, recipients, interval_minutes, locale, version, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, outcomes = EXCLUDED.outcomes, recipients = EXCLUDED.recipients,
             interval_minutes = EXCLUDED.interval_minutes, locale = EXCLUDED.locale, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
          [id, d.partnerId ?? e.metadata.partnerId, s.name, s.outcomes, s.recipients, s.intervalMinutes, s.locale, e.streamVersion, e.metadata.occurredAt],
        );
      } else if (e.type === jobNotificationProfileSpec.events.deleted) {
        await tx.query('DELETE FROM notifications_job_notification_profiles WHERE id = $1', [id]);
      }
    }
  },
  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE notifications_job_notification_profiles');
  },
};
