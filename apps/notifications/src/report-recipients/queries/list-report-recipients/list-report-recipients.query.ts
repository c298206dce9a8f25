import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { isUuid, type Clock } from '@platform/core';
import { PG_POOL } from '@platform/service-kit';
import { CustomerFactsStore } from '../../../customer-facts/customer-facts.store';
import { NOTIFICATIONS_CLOCK } from '../../../shared/notifications.tokens';
import { recipientState, type ReportPurpose } from '../../domain/report-recipients';
import { customerNotFound } from '../../domain/report-recipients.errors';
import { ReportRecipientsStore } from '../../infrastructure/report-recipients.store';

export interface ReportRecipientView {
  email: string;
  purposes: ReportPurpose[];
  state: 'pending' | 'verified' | 'expired';
  requestedAt: string;
  expiresAt: string;
  verifiedAt: string | null;
}

/** Each report address of one of the partner's customers and its verification state. */
@Injectable()
export class ListReportRecipientsQuery {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
    private readonly facts: CustomerFactsStore,
    private readonly recipients: ReportRecipientsStore,
  ) {}

  async execute(partnerId: string, customerId: string): Promise<{ items: ReportRecipientView[] }> {
    if (!isUuid(customerId)) throw customerNotFound();
    const id = customerId.toLowerCase();
    if (!(await this.facts.getForPartner(this.pool, partnerId, id))) throw customerNotFound();
    const now = this.clock.now();
    const records = await this.recipients.forCustomer(this.pool, id);
    return {
      items: records.map((r) => ({
        email: r.email,
        purposes: r.purposes,
        state: recipientState(r, now),
        requestedAt: r.requestedAt,
        expiresAt: r.expiresAt,
        verifiedAt: r.verifiedAt,
      })),
    };
  }
}
