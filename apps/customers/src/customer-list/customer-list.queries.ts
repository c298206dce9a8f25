import type { Pool } from 'pg';
import { NotFoundError } from '@platform/core';
import { LIST_COLUMNS } from '../partner-users/domain/list-columns';
import type { CustomerHealth, CustomerListRow } from './customer-list-row';
import { rowColumns, rowFromDb, type CustomerListDbRow } from './customer-list.rows-sql';
import { decodeCursor, encodeCursor, type CursorKey, type ListSort } from './list-cursor';
import { PositionKeyedCache } from './position-keyed-cache';
import { escapeLikePattern, normalizeSearchText } from './search-text';

export interface ListCustomersQuery {
  partnerId: string;
  /** The caller, for `pinned`. */
  userId: string;
  search?: string;
  status?: string[];
  country?: string[];
  tag?: string[];
  service?: string[];
  product?: string[];
  hasOpenTickets?: boolean;
  sort: ListSort;
  limit: number;
  cursor?: string;
}

export interface CustomerListItem {
  id: string;
  organizationName: string;
  primaryDomain: string;
  status: CustomerListRow['status'];
  countryCode: string;
  tags: string[];
  services: string[];
  products: string[];
  openTickets: number;
  health: CustomerHealth | null;
  managementMode: CustomerListRow['managementMode'];
  registeredAccount: string | null;
  hasLogo: boolean;
  pinned: boolean;
  createdAt: string;
}

export interface CustomerListPage {
  items: CustomerListItem[];
  total: number;
  nextCursor: string | null;
}

export interface CustomerView extends CustomerListItem {
  accountType: string;
  locale: string;
  contactEmail: string | null;
  indirectProviderId: string | null;
  invitationExpiresAt: string | null;
  billingReports: CustomerListRow['details']['billingReports'];
  serviceReports: CustomerListRow['details']['serviceReports'];
  jobNotificationProfileId: string | null;
  logo: CustomerListRow['details']['logo'];
  /** Stream version (also the ETag). */
  version: number;
}

export interface ColumnPreferences {
  columns: string[];
  /** False while the user has saved nothing (the defaults are shown). */
  saved: boolean;
  savedAt: string | null;
}

export const DEFAULT_LIST_COLUMNS: readonly string[] = LIST_COLUMNS;

export function customerNotFound(id: string): NotFoundError {
  return new NotFoundError('CUSTOMER.NOT_FOUND', `Customer ${id} was not found`);
}

export function toListItem(row: CustomerListRow, pinned: boolean): CustomerListItem {
  return {
    id: row.customerId,
    organizationName: row.organizationName,
    primaryDomain: row.primaryDomain,
    status: row.status,
    countryCode: row.countryCode,
    tags: row.tags,
    services: row.services,
    products: row.products,
    openTickets: row.openTickets,
    health: row.health,
    managementMode: row.managementMode,
    registeredAccount: row.registeredAccount,
    hasLogo: row.hasLogo,
    pinned,
    createdAt: row.createdAt,
  };
}

export function toCustomerView(row: CustomerListRow, pinned: boolean): CustomerView {
  const d = row.details;
  return {
    ...toListItem(row, pinned),
    accountType: d.accountType,
    locale: d.locale,
    contactEmail: d.contactEmail ?? null,
    indirectProviderId: d.indirectProviderId ?? null,
    invitationExpiresAt: row.status === 'invited' ? (d.invitationExpiresAt ?? null) : null,
    billingReports: d.billingReports ?? null,
    serviceReports: d.serviceReports ?? null,
    jobNotificationProfileId: d.jobNotificationProfileId ?? null,
    logo: d.logo ?? null,
    version: row.streamVersion,
  };
}

interface SortPlan {
  order: string;
  /** Keyset condition with placeholders starting at `$n`. */
  after(n: number): string;
  key(r: ListedRow): CursorKey;
}

const SORTS: Record<ListSort, SortPlan> = {
  name: {
    order: 'name_key ASC, customer_id ASC',
    after: (n) => `(name_key, customer_id) > ($${n}, $${n + 1})`,
    key: (r) => [r.name_key, r.customer_id],
  },
  '-name': {
    order: 'name_key DESC, customer_id DESC',
    after: (n) => `(name_key, customer_id) < ($${n}, $${n + 1})`,
    key: (r) => [r.name_key, r.customer_id],
  },
  health: {
    order: 'health_rank ASC, name_key ASC, customer_id ASC',
    after: (n) => `(health_rank, name_key, customer_id) > ($${n}::smallint, $${n + 1}, $${n + 2})`,
    key: (r) => [r.health_rank, r.name_key, r.customer_id],
  },
  '-createdAt': {
    order: 'created_at DESC, customer_id DESC',
    after: (n) => `(created_at, customer_id) < ($${n}::timestamptz, $${n + 1})`,
    key: (r) => [r.created_at, r.customer_id],
  },
};

interface ListedRow extends CustomerListDbRow {
  name_key: string;
  health_rank: number;
  pinned: boolean;
}

/** Read side of F9, F4 (pinned) and the one-customer view; every query is scoped to the caller's partner. */
export class CustomerListQueries {
  private readonly pages = new PositionKeyedCache<CustomerListPage>();

  /**
   * @param checkpoint the projection's checkpoint when this process knows it to be current
   *   (its runner holds the lease); list pages are then cached until it moves.
   */
  constructor(
    private readonly pool: Pool,
    private readonly checkpoint: () => bigint | undefined = () => undefined,
  ) {}

  list(q: ListCustomersQuery): Promise<CustomerListPage> {
    // Read the checkpoint before querying: the rows seen are then at least that new.
    return this.pages.get(this.checkpoint(), JSON.stringify(q), () => this.queryList(q));
  }

  private async queryList(q: ListCustomersQuery): Promise<CustomerListPage> {
    const params: unknown[] = [q.partnerId];
    const where = ['partner_id = $1'];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(sql(params.length));
    };
    const term = q.search === undefined ? '' : normalizeSearchText(q.search);
    if (term) add((n) => `search_text LIKE $${n}`, `%${escapeLikePattern(term)}%`);
    if (q.status?.length) add((n) => `status = ANY($${n}::text[])`, q.status);
    if (q.country?.length) add((n) => `country_code = ANY($${n}::text[])`, q.country.map((c) => c.toUpperCase()));
    if (q.tag?.length) add((n) => `tags && $${n}::text[]`, q.tag);
    if (q.service?.length) add((n) => `services && $${n}::text[]`, q.service);
    if (q.product?.length) add((n) => `products && $${n}::text[]`, q.product);
    if (q.hasOpenTickets !== undefined) where.push(q.hasOpenTickets ? 'open_tickets > 0' : 'open_tickets = 0');
    const filter = where.join(' AND ');
    const countParams = [...params];

    const plan = SORTS[q.sort];
    if (q.cursor !== undefined) {
      const key = decodeCursor(q.cursor, q.sort);
      where.push(plan.after(params.length + 1));
      params.push(...key);
    }
    params.push(q.userId);
    const userParam = params.length;
    const pageSql = `
      SELECT ${rowColumns()}, name_key, health_rank,
        EXISTS (SELECT 1 FROM customer_list_pins p
                 WHERE p.partner_id = $1 AND p.user_id = $${userParam} AND p.customer_id = c.customer_id) AS pinned
      FROM customer_list c
      WHERE ${where.join(' AND ')}
      ORDER BY ${plan.order}
      LIMIT ${q.limit + 1}`;
    // The page and the count run side by side on two connections.
    const [page, count] = await Promise.all([
      this.pool.query<ListedRow>(pageSql, params),
      this.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM customer_list WHERE ${filter}`, countParams),
    ]);
    const rows = page.rows.slice(0, q.limit);
    const more = page.rows.length > q.limit;
    return {
      items: rows.map((r) => toListItem(rowFromDb(r), r.pinned)),
      total: count.rows[0].total,
      nextCursor: more ? encodeCursor(q.sort, plan.key(rows[rows.length - 1])) : null,
    };
  }

  /** The customer from the read model, or 404 (unknown, another partner's, or disconnected). */
  async get(partnerId: string, userId: string, customerId: string): Promise<CustomerView> {
    const { rows } = await this.pool.query<CustomerListDbRow & { pinned: boolean }>(
      `SELECT ${rowColumns()},
         EXISTS (SELECT 1 FROM customer_list_pins p
                  WHERE p.partner_id = c.partner_id AND p.user_id = $3 AND p.customer_id = c.customer_id) AS pinned
       FROM customer_list c WHERE customer_id = $1 AND partner_id = $2`,
      [customerId, partnerId, userId],
    );
    if (rows.length === 0) throw customerNotFound(customerId);
    return toCustomerView(rowFromDb(rows[0]), rows[0].pinned);
  }

  async isPinned(partnerId: string, userId: string, customerId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM customer_list_pins WHERE partner_id = $1 AND user_id = $2 AND customer_id = $3',
      [partnerId, userId, customerId],
    );
    return (rowCount ?? 0) > 0;
  }

  /** The caller's pinned customers that are still listed, most recently pinned first. */
  async pinned(partnerId: string, userId: string): Promise<{ items: CustomerListItem[] }> {
    const { rows } = await this.pool.query<CustomerListDbRow>(
      `SELECT ${rowColumns('c')}
       FROM customer_list_pins p JOIN customer_list c ON c.customer_id = p.customer_id AND c.partner_id = p.partner_id
       WHERE p.partner_id = $1 AND p.user_id = $2
       ORDER BY p.pinned_at DESC, c.customer_id`,
      [partnerId, userId],
    );
    return { items: rows.map((r) => toListItem(rowFromDb(r), true)) };
  }

  async preferences(partnerId: string, userId: string): Promise<ColumnPreferences> {
    const { rows } = await this.pool.query<{ columns: string[]; saved_at: Date }>(
      'SELECT columns, saved_at FROM customer_list_preferences WHERE partner_id = $1 AND user_id = $2',
      [partnerId, userId],
    );
    if (rows.length === 0) return { columns: [...DEFAULT_LIST_COLUMNS], saved: false, savedAt: null };
    return { columns: rows[0].columns, saved: true, savedAt: rows[0].saved_at.toISOString() };
  }
}
