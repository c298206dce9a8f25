import type { Queryable } from '../../emails/infrastructure/email-outbox';
import type { RecipientRecord, ReportPurpose } from '../domain/report-recipients';

interface Row {
  customer_id: string;
  partner_id: string;
  email: string;
  purposes: ReportPurpose[];
  status: 'pending' | 'verified';
  token_id: string;
  requested_at: Date;
  expires_at: Date;
  verified_at: Date | null;
}

export interface StoredRecipient extends RecipientRecord {
  customerId: string;
  partnerId: string;
}

const toRecord = (r: Row): StoredRecipient => ({
  customerId: r.customer_id,
  partnerId: r.partner_id,
  email: r.email,
  purposes: r.purposes,
  status: r.status,
  tokenId: r.token_id,
  requestedAt: r.requested_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
  verifiedAt: r.verified_at ? r.verified_at.toISOString() : null,
});

const COLUMNS = 'customer_id, partner_id, email, purposes, status, token_id, requested_at, expires_at, verified_at';

/** `notifications_report_recipients`: each customer report address and its verification state. */
export class ReportRecipientsStore {
  async forCustomer(db: Queryable, customerId: string): Promise<StoredRecipient[]> {
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM notifications_report_recipients WHERE customer_id = $1 ORDER BY email`, [
      customerId,
    ]);
    return rows.map(toRecord);
  }

  async byToken(db: Queryable, tokenId: string): Promise<StoredRecipient | undefined> {
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM notifications_report_recipients WHERE token_id = $1`, [tokenId]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Verified addresses of the customer among `emails` (for `purpose` when given). */
  async verified(db: Queryable, customerId: string, purpose?: ReportPurpose): Promise<Set<string>> {
    const { rows } = await db.query<{ email: string }>(
      `SELECT email FROM notifications_report_recipients
        WHERE customer_id = $1 AND status = 'verified' AND ($2::text IS NULL OR $2 = ANY(purposes))`,
      [customerId, purpose ?? null],
    );
    return new Set(rows.map((r) => r.email));
  }

  async upsert(db: Queryable, customerId: string, partnerId: string, records: readonly RecipientRecord[]): Promise<void> {
    for (const r of records) {
      await db.query(
        `INSERT INTO notifications_report_recipients (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (customer_id, email) DO UPDATE SET purposes = EXCLUDED.purposes, status = EXCLUDED.status,
           token_id = EXCLUDED.token_id, requested_at = EXCLUDED.requested_at, expires_at = EXCLUDED.expires_at,
           verified_at = EXCLUDED.verified_at`,
        [customerId, partnerId, r.email, r.purposes, r.status, r.tokenId, r.requestedAt, r.expiresAt, r.verifiedAt],
      );
    }
  }

  async remove(db: Queryable, customerId: string, emails: readonly string[]): Promise<void> {
    if (emails.length === 0) return;
    await db.query(`DELETE FROM notifications_report_recipients WHERE customer_id = $1 AND email = ANY($2::text[])`, [customerId, emails]);
  }

  async removeCustomer(db: Queryable, customerId: string): Promise<void> {
    await db.query(`DELETE FROM notifications_report_recipients WHERE customer_id = $1`, [customerId]);
  }

  /** True when this call verified it (false: already verified, or the token was replaced meanwhile). */
  async markVerified(db: Queryable, tokenId: string, at: string): Promise<boolean> {
    const res = await db.query(
      `UPDATE notifications_report_recipients SET status = 'verified', verified_at = $2 WHERE token_id = $1 AND status = 'pending'`,
      [tokenId, at],
    );
    return (res.rowCount ?? 0) > 0;
  }
}
