import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-kit';
import type { BillingProfileDto } from '../../commands/create-billing-profile/create-billing-profile.request';

export interface BillingProfileRow {
  id: string;
  partner_id: string;
  name: string;
  frequency: 'monthly' | 'yearly';
  send_day: number;
  send_month: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const toDto = (r: BillingProfileRow): BillingProfileDto => ({
  id: r.id,
  name: r.name,
  frequency: r.frequency,
  sendDay: r.send_day,
  sendMonth: r.send_month,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** The partner's billing profiles by name (read model). */
@Injectable()
export class ListBillingProfilesQuery {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(partnerId: string): Promise<{ items: BillingProfileDto[] }> {
    const { rows } = await this.pool.query<BillingProfileRow>(
      'SELECT * FROM notifications_billing_profiles WHERE partner_id = $1 ORDER BY lower(name), id',
      [partnerId],
    );
    return { items: rows.map(toDto) };
  }
}
