import type { CustomerDetails, CustomerHealth, CustomerListRow } from './customer-list-row';

/** Columns read back into a {@link CustomerListRow} (created_at as ISO text with milliseconds, UTC). */
export function rowColumns(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `${a}customer_id, ${a}partner_id, ${a}organization_name, ${a}primary_domain, ${a}status, ${a}country_code,
  ${a}tags, ${a}services, ${a}products, ${a}open_tickets, ${a}health, ${a}management_mode, ${a}registered_account,
  ${a}has_logo, to_char(${a}created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  ${a}stream_version, ${a}last_position::text AS last_position, ${a}details`;
}

export interface CustomerListDbRow {
  customer_id: string;
  partner_id: string;
  organization_name: string;
  primary_domain: string;
  status: CustomerListRow['status'];
  country_code: string;
  tags: string[];
  services: string[];
  products: string[];
  open_tickets: number;
  health: CustomerHealth | null;
  management_mode: CustomerListRow['managementMode'];
  registered_account: string | null;
  has_logo: boolean;
  created_at: string;
  stream_version: number;
  last_position: string;
  details: CustomerDetails;
}

export function rowFromDb(r: CustomerListDbRow): CustomerListRow {
  return {
    partnerId: r.partner_id,
    customerId: r.customer_id,
    organizationName: r.organization_name,
    primaryDomain: r.primary_domain,
    status: r.status,
    countryCode: r.country_code,
    tags: r.tags,
    services: r.services,
    products: r.products,
    openTickets: r.open_tickets,
    health: r.health,
    managementMode: r.management_mode,
    registeredAccount: r.registered_account,
    hasLogo: r.has_logo,
    createdAt: r.created_at,
    streamVersion: r.stream_version,
    lastPosition: BigInt(r.last_position),
    details: r.details,
  };
}
