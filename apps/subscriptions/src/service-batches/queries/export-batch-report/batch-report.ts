import type { ServiceBatch } from '../../domain/service-batch.decider';

export const REPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_COLUMNS = ['Customer ID', 'Organization', 'Outcome', 'Reason', 'Subscription ID', 'Attempts', 'Updated at'] as const;

export type ReportRow = [customerId: string, organization: string, outcome: string, reason: string, subscriptionId: string, attempts: number, updatedAt: string];

/** The per-customer result report of a batch: one row per customer, in request order. */
export function reportRows(batch: ServiceBatch, names: ReadonlyMap<string, string> = new Map()): ReportRow[] {
  return batch.customerIds.map((customerId) => {
    const r = batch.results[customerId];
    return [customerId, names.get(customerId) ?? '', r.outcome, r.reason ?? '', r.subscriptionId ?? '', r.attempts, r.at ?? ''];
  });
}

/** Cells a spreadsheet would run as a formula get a leading apostrophe (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
