import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@platform/event-store';

/**
 * Realistic customer streams for the API benchmark: organisation names from word lists (about
 * one in six accented, so accent-insensitive search has work to do), domains derived from the
 * names, a spread of countries, account types, tags and statuses, and a few open tickets.
 * Deterministic for a given seed, so runs are comparable.
 */

const ACCOUNT_TYPES = [
  'microsoft365-global-admin',
  'microsoft365-usgov-global-admin',
  'google-super-admin',
  'salesforce-system-admin',
  'local-account',
  'authorization-link',
] as const;

const PLAIN_CORES = [
  'Acme', 'Northwind', 'Contoso', 'Fabrikam', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Tyrell',
  'Cyberdyne', 'Soylent', 'Vandelay', 'Hooli', 'Pied Piper', 'Aperture', 'Black Mesa', 'Oscorp', 'Wonka',
  'Gringotts', 'Duff', 'Monarch', 'Vehement', 'Massive Dynamic', 'Blue Sun', 'Weyland', 'Gekko', 'Prestige',
  'Bluth', 'Dunder Mifflin', 'Sterling', 'Cooper', 'Atlas', 'Zenith', 'Orbit', 'Harbor', 'Summit', 'Pioneer',
  'Granite', 'Silverline', 'Redwood', 'Evergreen', 'Lakeside', 'Riverside', 'Highland', 'Meridian', 'Crescent',
  'Beacon', 'Keystone', 'Horizon', 'Quantum', 'Vertex', 'Nimbus', 'Falcon', 'Phoenix', 'Aurora', 'Polaris',
  'Rossi', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti',
  'Dubois', 'Martin', 'Bernard', 'Moreau', 'Laurent', 'Girard', 'Roux', 'Fournier', 'Morel', 'Mercier',
];
const ACCENTED_CORES = [
  'Société Générale', 'Crédit Mutuel', 'Bäckerei Müller', 'Café Zürich', 'Électricité Lyonnaise',
  'Çelik Yapı', 'Ñandú Soluciones', 'Českomoravská', 'Øresund Logistik', 'Ålborg Værft', 'Łódź Metal',
  'Hôtel Négresco', 'Pâtisserie Fréchette', 'Señor Pérez', 'Göteborg Främling', 'Città di Forlì',
  'Università Bocconi', 'Jardinerie Noël', 'Brasserie Hélène', 'Façade Générale',
];
const SUFFIXES = ['Ltd', 'S.p.A.', 'S.r.l.', 'SA', 'SAS', 'GmbH', 'Inc.', 'LLC', 'AG', 'BV', 'Group', 'Holding', '& Co.'];
const SECTORS = ['Logistics', 'Consulting', 'Pharma', 'Foods', 'Energy', 'Media', 'Retail', 'Finance', 'Health', 'Systems', 'Labs', 'Studio'];
const COUNTRIES: Array<[code: string, locale: string, tld: string, weight: number]> = [
  ['IT', 'it', 'it', 18], ['FR', 'fr', 'fr', 16], ['DE', 'en', 'de', 12], ['GB', 'en', 'co.uk', 12], ['US', 'en', 'com', 20],
  ['ES', 'en', 'es', 6], ['NL', 'en', 'nl', 4], ['CH', 'fr', 'ch', 3], ['BE', 'fr', 'be', 3], ['SE', 'en', 'se', 2],
  ['AT', 'en', 'at', 2], ['PL', 'en', 'pl', 2],
];
export const TAGS = ['gold', 'silver', 'bronze', 'priority', 'education', 'healthcare', 'retail', 'finance', 'public-sector', 'trial', 'eu', 'smb'];

/** Mulberry32: tiny deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

function pickCountry(rnd: () => number): [string, string, string] {
  const total = COUNTRIES.reduce((s, c) => s + c[3], 0);
  let r = rnd() * total;
  for (const [code, locale, tld, weight] of COUNTRIES) {
    r -= weight;
    if (r < 0) return [code, locale, tld];
  }
  return [COUNTRIES[0][0], COUNTRIES[0][1], COUNTRIES[0][2]];
}

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/ł/gi, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export interface SeedCustomer {
  customerId: string;
  partnerId: string;
  organizationName: string;
  events: NewEvent[];
}

/** Time-ordered UUIDv7 for a given millisecond (ids of seeded customers spread over two years). */
function uuidv7At(ms: number, rnd: () => number): string {
  const hex = ms.toString(16).padStart(12, '0');
  const rand = Array.from({ length: 20 }, () => Math.floor(rnd() * 16).toString(16)).join('');
  const variant = ((parseInt(rand[3], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${rand.slice(0, 3)}-${variant}${rand.slice(4, 7)}-${rand.slice(7, 19)}`;
}

/**
 * One customer's stream: `CustomerInvited`, then for most `InvitationAccepted`, for some
 * `InvitationRevoked`, `CustomerTagsChanged` or an open `SupportTicketOpened`.
 * `index` makes names unique enough that a search term narrows the list.
 */
export function seedCustomer(partnerId: string, actorId: string, index: number, rnd: () => number, startMs: number, spanMs: number): SeedCustomer {
  const createdMs = startMs + Math.floor(rnd() * spanMs);
  const customerId = uuidv7At(createdMs, rnd);
  const accented = rnd() < 0.16;
  const core = accented ? pick(rnd, ACCENTED_CORES) : pick(rnd, PLAIN_CORES);
  const organizationName = `${core} ${pick(rnd, SECTORS)} ${index.toString(36)} ${pick(rnd, SUFFIXES)}`;
  const [countryCode, locale, tld] = pickCountry(rnd);
  const primaryDomain = `${slug(`${core}-${index.toString(36)}`)}.${tld}`;
  const accountType = pick(rnd, ACCOUNT_TYPES);
  const tags = TAGS.filter(() => rnd() < 0.18).slice(0, 4);
  const correlationId = randomUUID();
  let at = createdMs;
  const meta = () => ({
    partnerId,
    customerId,
    occurredAt: new Date((at += 1000 + Math.floor(rnd() * 86_400_000))).toISOString(),
    correlationId,
    actor: { type: 'user' as const, id: actorId },
  });
  const events: NewEvent[] = [
    {
      id: uuidv7At(at, rnd),
      type: 'CustomerInvited',
      schemaVersion: 1,
      data: {
        organizationName,
        primaryDomain,
        countryCode,
        accountType,
        ...(accountType === 'authorization-link' ? {} : { contactEmail: `it-admin@${primaryDomain}` }),
        tags,
        locale,
        invitation: {
          tokenId: randomUUID(),
          expiresAt: new Date(at + 14 * 86_400_000).toISOString(),
          draftEmail: `Hello, ${organizationName} is invited to our managed backup service.`,
        },
      },
      metadata: { ...meta(), occurredAt: new Date(at).toISOString() },
    },
  ];
  const fate = rnd();
  if (fate < 0.7) {
    events.push({
      id: randomUUID(),
      type: 'InvitationAccepted',
      schemaVersion: 1,
      data: { registeredAccount: `admin@${primaryDomain}`, accountType },
      metadata: { ...meta(), actor: { type: 'customer', id: customerId } },
    });
    if (rnd() < 0.1) {
      events.push({
        id: randomUUID(),
        type: 'CustomerTagsChanged',
        schemaVersion: 1,
        data: { tags: [...new Set([...tags, pick(rnd, TAGS)])] },
        metadata: meta(),
      });
    }
    if (rnd() < 0.06) {
      events.push({
        id: randomUUID(),
        type: 'SupportTicketOpened',
        schemaVersion: 1,
        data: { ticketId: randomUUID(), title: 'Backup job failing', description: 'Nightly job fails since Monday', severity: 'high' },
        metadata: meta(),
      });
    }
  } else if (fate < 0.75) {
    events.push({ id: randomUUID(), type: 'InvitationRevoked', schemaVersion: 1, data: {}, metadata: meta() });
  }
  return { customerId, partnerId, organizationName, events };
}
