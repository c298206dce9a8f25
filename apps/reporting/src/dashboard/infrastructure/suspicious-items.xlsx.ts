import ExcelJS from 'exceljs';
import { SUSPICIOUS_ITEM_COLUMNS, type SuspiciousItemRow } from '../domain/suspicious-items';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One sheet "Suspicious items": a bold header row, then the rows as text cells. */
export async function suspiciousItemsWorkbook(rows: readonly SuspiciousItemRow[], title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Partner customer management';
  workbook.title = title;
  const sheet = workbook.addWorksheet('Suspicious items');
  sheet.columns = SUSPICIOUS_ITEM_COLUMNS.map((header) => ({ header, width: header === 'Suspicious file' || header === 'Workspace' ? 48 : 22 }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow([...row]);
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
