import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { CustomerDirectory, type DirectoryCustomer } from '@platform/customer-directory';
import { PG_POOL } from '@platform/service-kit';
import type { CellValue, ReportColumn, ReportDocument, ReportSection } from '../domain/report-table';
import { JOB_RUNS_TABLE, STORAGE_SAMPLES_TABLE } from '../projections/report-data.projection';

/** Sections a report (template) can hold; also the F16/F17 export kinds. */
export type SectionKind = 'customer-information' | 'job-status' | 'storage-consumption';

export const PRODUCT_NAMES: Record<string, string> = {
  'cloud-backup-m365': 'Cloud Backup for Microsoft 365',
  'cloud-backup-google': 'Cloud Backup for Google Workspace',
  'cloud-backup-dynamics365': 'Cloud Backup for Dynamics 365',
  'cloud-backup-salesforce': 'Cloud Backup for Salesforce',
  'cloud-backup-iaas-paas': 'Cloud Backup for IaaS + PaaS',
};
const productName = (code: string): string => PRODUCT_NAMES[code] ?? code;

const BATCH = 5000;
const GB = 1024 ** 3;
const gb = (bytes: number | null): number | null => (bytes === null ? null : Math.round((bytes / GB) * 100) / 100);
const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

const col = (header: string, type: ReportColumn['type'], width: number): ReportColumn => ({ header, type, width });

/**
 * Rows of a keyset-paged query, `BATCH` at a time: memory stays flat however many rows there
 * are. The next page is asked for while the current one is consumed (the database works while
 * the writer does).
 */
async function* keyset<R>(pool: Pool, page: (after: R | undefined) => [string, unknown[]]): AsyncGenerator<R> {
  const fetch = (after: R | undefined): Promise<R[]> => {
    const [text, values] = page(after);
    const rows = pool.query<R & object>(`${text} LIMIT ${BATCH}`, values).then((r) => r.rows as R[]);
    rows.catch(() => undefined); // awaited below; a consumer that stopped early must not leave it unhandled
    return rows;
  };
  let pending: Promise<R[]> | undefined = fetch(undefined);
  while (pending) {
    const rows: R[] = await pending;
    pending = rows.length === BATCH ? fetch(rows[rows.length - 1]) : undefined;
    yield* rows;
  }
}

interface JobRow {
  customer_id: string;
  job_id: string;
  product: string;
  workload: string;
  started_at: Date;
  ended_at: Date;
  status: string;
  items: string;
  bytes: string;
}

interface JobSummaryRow {
  customer_id: string;
  product: string;
  workload: string | null;
  jobs: string;
  succeeded: string;
  partial: string;
  failed: string;
  canceled: string;
  last_ended_at: Date;
  last_status: string;
}

export interface JobFilter {
  product?: string;
}

/**
 * Builds the documents of the storage consumption and job status reports (F16) and the
 * customer information and job status reports over all customers (F17) from the report
 * read models and the customer directory. Detail rows stream from keyset-paged queries.
 */
@Injectable()
export class ReportDocuments {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly directory: CustomerDirectory,
  ) {}

  /** The partner's connected customer, or undefined (unknown, another partner's, disconnected → 404). */
  async customer(partnerId: string, customerId: string): Promise<DirectoryCustomer | undefined> {
    const c = await this.directory.getForPartner(partnerId, customerId);
    return c && c.status !== 'disconnected' ? c : undefined;
  }

  async customers(partnerId: string): Promise<Map<string, DirectoryCustomer>> {
    const list = await this.directory.listForPartner(partnerId);
    return new Map(list.filter((c) => c.status !== 'disconnected').map((c) => [c.customerId.toLowerCase(), c]));
  }

  /** One customer's report of the given sections (F15 generated reports, F16 exports). */
  customerReport(customer: DirectoryCustomer, title: string, sections: SectionKind[], details: boolean, now: Date, filter: JobFilter = {}): ReportDocument {
    const out: ReportSection[] = [];
    for (const kind of sections) {
      if (kind === 'customer-information') out.push(customerFactsSection(customer));
      if (kind === 'storage-consumption') out.push(...this.storageSections(customer.customerId, details));
      if (kind === 'job-status') out.push(...this.jobSections(customer.customerId, details, filter));
    }
    return { title, subtitle: `${customer.organizationName ?? customer.customerId} · generated ${stamp(now)}`, sections: out };
  }

  /** F17 customer information report over all the partner's connected customers. */
  async customerInformationReport(partnerId: string, details: boolean, now: Date): Promise<ReportDocument> {
    const customers = [...(await this.customers(partnerId)).values()];
    const { rows } = await this.pool.query<{ customer_id: string; used: string | null; last_status: string | null; last_ended_at: Date | null }>(
      `SELECT c.customer_id,
              (SELECT sum(s.used_bytes) FROM (SELECT DISTINCT ON (product) used_bytes FROM ${STORAGE_SAMPLES_TABLE}
                 WHERE customer_id = c.customer_id ORDER BY product, sampled_at DESC) s) AS used,
              j.status AS last_status, j.ended_at AS last_ended_at
         FROM unnest($1::text[]) AS c(customer_id)
         LEFT JOIN LATERAL (SELECT status, ended_at FROM ${JOB_RUNS_TABLE} WHERE customer_id = c.customer_id
                             ORDER BY ended_at DESC, job_id DESC LIMIT 1) j ON true`,
      [customers.map((c) => c.customerId.toLowerCase())],
    );
    const facts = new Map(rows.map((r) => [r.customer_id, r]));
    const columns = [
      col('Organization', 'string', 28),
      col('Primary domain', 'string', 22),
      col('Country', 'string', 8),
      col('Status', 'string', 10),
      col('Management mode', 'string', 14),
      col('Storage used (GB)', 'number', 14),
      col('Last backup job', 'string', 18),
      col('Last backup ended', 'date', 20),
      ...(details
        ? [col('Contact email', 'string', 26), col('Tags', 'string', 20), col('Locale', 'string', 8), col('Service reports', 'boolean', 10), col('Invited', 'date', 20)]
        : []),
    ];
    const data = customers.map((c): CellValue[] => {
      const f = facts.get(c.customerId.toLowerCase());
      return [
        c.organizationName ?? '',
        c.primaryDomain ?? '',
        c.countryCode ?? '',
        c.status,
        c.managementMode,
        gb(num(f?.used ?? null)),
        f?.last_status ?? '',
        f?.last_ended_at ?? null,
        ...(details ? [c.contactEmail ?? '', c.tags.join(', '), c.locale, c.serviceReports.enabled, new Date(c.invitedAt)] : []),
      ];
    });
    return {
      title: 'Customer information report',
      subtitle: `${customers.length} customers · generated ${stamp(now)}`,
      sections: [{ title: 'Customers', columns, rows: async function* () { yield* data; } }],
    };
  }

  /** F17 job status report over all the partner's connected customers. */
  async jobStatusReport(partnerId: string, details: boolean, now: Date, filter: JobFilter = {}): Promise<ReportDocument> {
    const customers = await this.customers(partnerId);
    const name = (id: string) => customers.get(id)?.organizationName ?? id;
    const product = filter.product ?? null;
    const pool = this.pool;
    const summary: ReportSection = {
      title: 'Job status by customer',
      columns: [col('Customer', 'string', 26), col('Product', 'string', 26), ...summaryColumns()],
      rows: async function* () {
        for (const r of await summaryRows(pool, 'partner_id', partnerId, product)) {
          if (!customers.has(r.customer_id)) continue;
          yield [name(r.customer_id), productName(r.product), ...summaryCells(r)];
        }
      },
    };
    const sections = [summary];
    if (details) {
      sections.push({
        title: 'Jobs',
        columns: [col('Customer', 'string', 24), ...jobColumns()],
        rows: async function* () {
          const rows = keyset<JobRow>(pool, (after) => [
            `SELECT customer_id, job_id, product, workload, started_at, ended_at, status, items, bytes
               FROM ${JOB_RUNS_TABLE} WHERE partner_id = $1 AND ($2::text IS NULL OR product = $2)
               ${after ? 'AND (ended_at, customer_id, job_id) < ($3, $4, $5)' : ''}
              ORDER BY ended_at DESC, customer_id DESC, job_id DESC`,
            after ? [partnerId, product, after.ended_at, after.customer_id, after.job_id] : [partnerId, product],
          ]);
          for await (const r of rows) {
            if (!customers.has(r.customer_id)) continue;
            yield [name(r.customer_id), ...jobCells(r)];
          }
        },
      });
    }
    const subject = product ? `${productName(product)} job status report` : 'Cloud Backup job status report';
    return { title: subject, subtitle: `${customers.size} customers · generated ${stamp(now)}`, sections };
  }

  private storageSections(customerId: string, details: boolean): ReportSection[] {
    const pool = this.pool;
    const id = customerId.toLowerCase();
    const sections: ReportSection[] = [
      {
        title: 'Storage consumption',
        columns: [col('Product', 'string', 30), col('Used (GB)', 'number', 12), col('Quota (GB)', 'number', 12), col('Used %', 'number', 10), col('Sampled', 'date', 20)],
        rows: async function* () {
          const { rows } = await pool.query<{ product: string; used_bytes: string; quota_bytes: string | null; sampled_at: Date }>(
            `SELECT DISTINCT ON (product) product, used_bytes, quota_bytes, sampled_at FROM ${STORAGE_SAMPLES_TABLE}
              WHERE customer_id = $1 ORDER BY product, sampled_at DESC`,
            [id],
          );
          for (const r of rows) {
            const used = Number(r.used_bytes);
            const quota = num(r.quota_bytes);
            yield [productName(r.product), gb(used), gb(quota), quota ? Math.round((used / quota) * 1000) / 10 : null, r.sampled_at];
          }
        },
      },
    ];
    if (details) {
      sections.push({
        title: 'Storage samples',
        columns: [col('Product', 'string', 30), col('Sampled', 'date', 20), col('Used (bytes)', 'number', 18), col('Quota (bytes)', 'number', 18)],
        rows: async function* () {
          const rows = keyset<{ product: string; sampled_at: Date; used_bytes: string; quota_bytes: string | null }>(pool, (after) => [
            `SELECT product, sampled_at, used_bytes, quota_bytes FROM ${STORAGE_SAMPLES_TABLE} WHERE customer_id = $1
              ${after ? 'AND (sampled_at, product) < ($2, $3)' : ''} ORDER BY sampled_at DESC, product DESC`,
            after ? [id, after.sampled_at, after.product] : [id],
          ]);
          for await (const r of rows) yield [productName(r.product), r.sampled_at, Number(r.used_bytes), num(r.quota_bytes)];
        },
      });
    }
    return sections;
  }

  private jobSections(customerId: string, details: boolean, filter: JobFilter): ReportSection[] {
    const pool = this.pool;
    const id = customerId.toLowerCase();
    const product = filter.product ?? null;
    const sections: ReportSection[] = [
      {
        title: 'Job status by product',
        columns: [col('Product', 'string', 28), col('Workload', 'string', 14), ...summaryColumns()],
        rows: async function* () {
          for (const r of await summaryRows(pool, 'customer_id', id, product, true)) {
            yield [productName(r.product), r.workload ?? '', ...summaryCells(r)];
          }
        },
      },
    ];
    if (details) {
      sections.push({
        title: 'Jobs',
        columns: jobColumns(),
        rows: async function* () {
          const rows = keyset<JobRow>(pool, (after) => [
            `SELECT customer_id, job_id, product, workload, started_at, ended_at, status, items, bytes
               FROM ${JOB_RUNS_TABLE} WHERE customer_id = $1 AND ($2::text IS NULL OR product = $2)
               ${after ? 'AND (ended_at, job_id) < ($3, $4)' : ''}
              ORDER BY ended_at DESC, job_id DESC`,
            after ? [id, product, after.ended_at, after.job_id] : [id, product],
          ]);
          for await (const r of rows) yield jobCells(r);
        },
      });
    }
    return sections;
  }
}

function summaryRows(pool: Pool, by: 'partner_id' | 'customer_id', id: string, product: string | null, perWorkload = false): Promise<JobSummaryRow[]> {
  const group = perWorkload ? 'customer_id, product, workload' : 'customer_id, product';
  return pool
    .query<JobSummaryRow>(
      `SELECT customer_id, product, ${perWorkload ? 'workload' : 'NULL::text AS workload'},
              count(*) AS jobs,
              count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
              count(*) FILTER (WHERE status = 'partially-succeeded') AS partial,
              count(*) FILTER (WHERE status = 'failed') AS failed,
              count(*) FILTER (WHERE status = 'canceled') AS canceled,
              max(ended_at) AS last_ended_at,
              (array_agg(status ORDER BY ended_at DESC, job_id DESC))[1] AS last_status
         FROM ${JOB_RUNS_TABLE} WHERE ${by} = $1 AND ($2::text IS NULL OR product = $2)
        GROUP BY ${group} ORDER BY ${group}`,
      [id, product],
    )
    .then((r) => r.rows);
}

const summaryColumns = (): ReportColumn[] => [
  col('Jobs', 'number', 8),
  col('Succeeded', 'number', 10),
  col('Partially succeeded', 'number', 12),
  col('Failed', 'number', 8),
  col('Canceled', 'number', 8),
  col('Last job ended', 'date', 20),
  col('Last status', 'string', 16),
];

const summaryCells = (r: JobSummaryRow): CellValue[] => [
  Number(r.jobs),
  Number(r.succeeded),
  Number(r.partial),
  Number(r.failed),
  Number(r.canceled),
  r.last_ended_at,
  r.last_status,
];

const jobColumns = (): ReportColumn[] => [
  col('Job', 'string', 24),
  col('Product', 'string', 26),
  col('Workload', 'string', 12),
  col('Started', 'date', 20),
  col('Ended', 'date', 20),
  col('Status', 'string', 16),
  col('Items', 'number', 10),
  col('Bytes', 'number', 14),
];

const jobCells = (r: JobRow): CellValue[] => [
  r.job_id,
  productName(r.product),
  r.workload,
  r.started_at,
  r.ended_at,
  r.status,
  Number(r.items),
  Number(r.bytes),
];

function customerFactsSection(c: DirectoryCustomer): ReportSection {
  const facts: CellValue[][] = [
    ['Organization', c.organizationName ?? ''],
    ['Primary domain', c.primaryDomain ?? ''],
    ['Country or region', c.countryCode ?? ''],
    ['Status', c.status],
    ['Management mode', c.managementMode],
    ['Tags', c.tags.join(', ')],
  ];
  return { title: 'Customer information', columns: [col('Field', 'string', 20), col('Value', 'string', 60)], rows: async function* () { yield* facts; } };
}

const stamp = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
