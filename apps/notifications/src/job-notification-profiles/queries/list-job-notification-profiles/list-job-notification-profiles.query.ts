import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-kit';
import type { JobNotificationProfileDto } from '../../commands/create-job-notification-profile/create-job-notification-profile.request';

export interface JobNotificationProfileRow {
  id: string;
  partner_id: string;
  name: string;
  outcomes: string[];
  recipients: string[];
  interval_minutes: number;
  locale: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const toDto = (r: JobNotificationProfileRow): JobNotificationProfileDto => ({
  id: r.id,
  name: r.name,
  outcomes: r.outcomes,
  recipients: r.recipients,
  intervalMinutes: r.interval_minutes,
  locale: r.locale,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** The partner's job notification profiles by name (read model). */
@Injectable()
export class ListJobNotificationProfilesQuery {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(partnerId: string): Promise<{ items: JobNotificationProfileDto[] }> {
    const { rows } = await this.pool.query<JobNotificationProfileRow>(
      'SELECT * FROM notifications_job_notification_profiles WHERE partner_id = $1 ORDER BY lower(name), id',
      [partnerId],
    );
    return { items: rows.map(toDto) };
  }
}
