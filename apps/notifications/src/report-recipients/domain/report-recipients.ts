/**
 * Customer addresses that receive reports (F2 service and billing reports) must be verified
 * before anything is sent to them (F15). Pure rules: which addresses need a verification
 * email when the customer's recipient lists change, and which stop being recipients.
 */

export const REPORT_PURPOSES = ['service', 'billing'] as const;
export type ReportPurpose = (typeof REPORT_PURPOSES)[number];

/** How long a verification link works. */
export const VERIFICATION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface RecipientRecord {
  email: string;
  purposes: ReportPurpose[];
  status: 'pending' | 'verified';
  tokenId: string;
  requestedAt: string;
  expiresAt: string;
  verifiedAt: string | null;
}

export interface RecipientChanges {
  /** New or changed records to store (new ones, and expired pending ones, got a fresh token). */
  upserts: RecipientRecord[];
  /** Addresses that receive nothing any more. */
  removed: string[];
  /** Records whose (new) token must be emailed. */
  toVerify: RecipientRecord[];
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/**
 * `purpose`'s recipient list is now `list` (empty when the reports were switched off). Verified
 * addresses stay verified; a pending address whose link still works is not emailed again; an
 * expired pending one gets a new link.
 */
export function applyRecipientList(
  current: readonly RecipientRecord[],
  purpose: ReportPurpose,
  list: readonly string[],
  context: { now: Date; nextTokenId: () => string; ttlMs?: number },
): RecipientChanges {
  const wanted = new Set(list.map(normalizeEmail));
  const byEmail = new Map(current.map((r) => [r.email, r]));
  const upserts: RecipientRecord[] = [];
  const removed: string[] = [];
  const toVerify: RecipientRecord[] = [];
  const ttl = context.ttlMs ?? VERIFICATION_TTL_MS;

  for (const r of current) {
    if (wanted.has(r.email) || !r.purposes.includes(purpose)) continue;
    const purposes = r.purposes.filter((p) => p !== purpose);
    if (purposes.length === 0) removed.push(r.email);
    else upserts.push({ ...r, purposes });
  }
  for (const email of wanted) {
    const existing = byEmail.get(email);
    const purposes: ReportPurpose[] = existing
      ? REPORT_PURPOSES.filter((p) => p === purpose || existing.purposes.includes(p))
      : [purpose];
    const expired = existing !== undefined && existing.status === 'pending' && new Date(existing.expiresAt) <= context.now;
    if (!existing || expired) {
      const record: RecipientRecord = {
        email,
        purposes,
        status: 'pending',
        tokenId: context.nextTokenId(),
        requestedAt: context.now.toISOString(),
        expiresAt: new Date(context.now.getTime() + ttl).toISOString(),
        verifiedAt: null,
      };
      upserts.push(record);
      toVerify.push(record);
    } else if (purposes.length !== existing.purposes.length) {
      upserts.push({ ...existing, purposes });
    }
  }
  return { upserts, removed, toVerify };
}

/** The state a partner sees: pending links that ran out are `expired`. */
export function recipientState(r: RecipientRecord, now: Date): 'verified' | 'pending' | 'expired' {
  if (r.status === 'verified') return 'verified';
  return new Date(r.expiresAt) <= now ? 'expired' : 'pending';
}
