import ExcelJS from 'exceljs';
import { SUSPICIOUS_ITEM_COLUMNS, suspiciousItemRows } from '../domain/suspicious-items';
import type { FindingFact } from '../domain/dashboard-view';
import { suspiciousItemsWorkbook } from './suspicious-items.xlsx';

const findings: FindingFact[] = [
  {
    findingId: 'f2', detectedAt: '2026-05-09T02:00:00.000Z', workspaceType: 'sharepoint-site', workspace: 'https://contoso.sharepoint.com/sites/Finance',
    activity: 'Mass encryption', ransomwareSuspected: true, status: 'open',
    suspiciousFiles: [
      { path: 'Shared Documents/a.xlsx.locked', reason: 'Encrypted', modifiedAt: '2026-05-09T01:59:00.000Z' },
      { path: 'Shared Documents/Ünïcödé — b.docx' },
    ],
  },
  { findingId: 'f1', detectedAt: '2026-05-01T10:00:00.000Z', workspaceType: 'onedrive', workspace: 'j.doe@contoso.com', activity: 'Many deletions', ransomwareSuspected: false, status: 'resolved', suspiciousFiles: [] },
];

describe('suspicious items XLSX export', () => {
  it('writes one row per suspicious file that reads back cell by cell', async () => {
    const rows = suspiciousItemRows(findings);
    const buffer = await suspiciousItemsWorkbook(rows, 'Suspicious items — Contoso');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Suspicious items')!;
    const read = (r: number) => Array.from({ length: SUSPICIOUS_ITEM_COLUMNS.length }, (_, c) => sheet.getRow(r).getCell(c + 1).text);
    expect(sheet.rowCount).toBe(4);
    expect(read(1)).toEqual([...SUSPICIOUS_ITEM_COLUMNS]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(read(2)).toEqual(['SharePoint site', 'https://contoso.sharepoint.com/sites/Finance', 'Mass encryption', '2026-05-09T02:00:00.000Z', 'Yes', 'open', 'Shared Documents/a.xlsx.locked', 'Encrypted', '2026-05-09T01:59:00.000Z']);
    expect(read(3)).toEqual(['SharePoint site', 'https://contoso.sharepoint.com/sites/Finance', 'Mass encryption', '2026-05-09T02:00:00.000Z', 'Yes', 'open', 'Shared Documents/Ünïcödé — b.docx', '', '']);
    expect(read(4)).toEqual(['OneDrive', 'j.doe@contoso.com', 'Many deletions', '2026-05-01T10:00:00.000Z', 'No', 'resolved', '', '', '']);
  });
});
