/**
 * A report as the export writers see it: titled tables (sections) of typed columns whose rows
 * arrive as an async stream, so a writer never holds more than a batch of them.
 */

export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const isExportFormat = (value: unknown): value is ExportFormat =>
  typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export type CellValue = string | number | boolean | Date | null;

export interface ReportColumn {
  header: string;
  type: 'string' | 'number' | 'date' | 'boolean';
  /** Relative width (characters in XLSX; PDF shares the page width in these proportions). */
  width: number;
}

export interface ReportSection {
  title: string;
  columns: ReportColumn[];
  /** Rows in column order; produced lazily (cursor / batched queries). */
  rows: () => AsyncIterable<CellValue[]>;
}

export interface ReportDocument {
  /** Shown at the top of PDFs and as the workbook title. */
  title: string;
  /** e.g. "Contoso Ltd · generated 2026-01-01 10:00 UTC". */
  subtitle?: string;
  sections: ReportSection[];
}

/** A cell as text (CSV, PDF): dates in ISO 8601 UTC, empty for null. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** Rows of an in-memory array as a section's row source. */
export function rowsOf(rows: CellValue[][]): () => AsyncIterable<CellValue[]> {
  return async function* () {
    yield* rows;
  };
}
