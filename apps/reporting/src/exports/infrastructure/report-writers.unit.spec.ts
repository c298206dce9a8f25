import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { rowsOf, type CellValue, type ExportFormat, type ReportDocument } from '../domain/report-table';
import { parseCsv } from '@platform/testing';
import { pdfPages } from '../testing/pdf-text';
import { csvField, sheetName, writeReport } from './report-writers';

async function render(doc: ReportDocument, format: ExportFormat): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeReport(doc, format, out);
  return Buffer.concat(chunks);
}

const when = new Date('2026-03-01T08:30:00.000Z');
const tricky: CellValue[][] = [
  ['Contoso, Ltd', 42, when, true],
  ['Say "hi"\r\nnext line', -3.5, when, false],
  ['=HYPERLINK("x")', 0, when, true],
  ['  padded ', 1234567, when, false],
  ['Café Zürich', 7, when, true],
];
const doc = (rows: CellValue[][], more = false): ReportDocument => ({
  title: 'Job status',
  subtitle: 'All customers',
  sections: [
    {
      title: 'Jobs',
      columns: [
        { header: 'Name', type: 'string', width: 30 },
        { header: 'Count', type: 'number', width: 10 },
        { header: 'Finished', type: 'date', width: 22 },
        { header: 'OK', type: 'boolean', width: 6 },
      ],
      rows: rowsOf(rows),
    },
    ...(more
      ? [{ title: 'Storage', columns: [{ header: 'Product', type: 'string' as const, width: 20 }], rows: rowsOf([['Backup']]) }]
      : []),
  ],
});

describe('report writers', () => {
  it('CSV: BOM, header, every cell escaped and read back as written', async () => {
    const text = (await render(doc(tricky), 'csv')).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['Name', 'Count', 'Finished', 'OK']);
    expect(rows.slice(1)).toEqual([
      ['Contoso, Ltd', '42', '2026-03-01T08:30:00.000Z', 'yes'],
      ['Say "hi"\r\nnext line', '-3.5', '2026-03-01T08:30:00.000Z', 'no'],
      ["'=HYPERLINK(\"x\")", '0', '2026-03-01T08:30:00.000Z', 'yes'],
      ['  padded ', '1234567', '2026-03-01T08:30:00.000Z', 'no'],
      ['Café Zürich', '7', '2026-03-01T08:30:00.000Z', 'yes'],
    ]);
  });

  it('CSV: several sections each get a title line and their own header', async () => {
    const rows = parseCsv((await render(doc(tricky.slice(0, 1), true), 'csv')).toString('utf8'));
    expect(rows).toEqual([
      ['Jobs'],
      ['Name', 'Count', 'Finished', 'OK'],
      ['Contoso, Ltd', '42', '2026-03-01T08:30:00.000Z', 'yes'],
      [''],
      ['Storage'],
      ['Product'],
      ['Backup'],
    ]);
  });

  it('csvField quotes only what needs it and defuses formulas in text cells', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
  });

  it('XLSX: typed cells read back cell by cell, one sheet per section, bold header', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await render(doc(tricky, true), 'xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Jobs', 'Storage']);
    const sheet = wb.getWorksheet('Jobs')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Name', 'Count', 'Finished', 'OK']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    tricky.forEach((row, r) => {
      row.forEach((value, c) => {
        const cell = sheet.getRow(r + 2).getCell(c + 1).value;
        if (value instanceof Date) expect((cell as Date).toISOString()).toBe(value.toISOString());
        else expect(cell).toEqual(typeof value === 'string' ? value.replace(/\r\n/g, '\n') : value);
      });
    });
    expect(sheet.rowCount).toBe(tricky.length + 1);
    expect(wb.getWorksheet('Storage')!.getRow(2).getCell(1).value).toBe('Backup');
  });

  it('XLSX sheet names are legal and unique', () => {
    const taken = new Set<string>();
    expect(sheetName('A/B: [x]?', taken)).toBe('A B   x');
    expect(sheetName('A/B: [x]?', taken)).toBe('A B   x 2');
    expect(sheetName('x'.repeat(40), taken)).toHaveLength(31);
  });

  it('PDF: title, header row and every cell of every row, right-aligned numbers included', async () => {
    const pages = pdfPages(await render(doc(tricky), 'pdf'));
    expect(pages).toHaveLength(1);
    const lines = pages[0];
    expect(lines[0]).toEqual(['Job status']);
    expect(lines[1]).toEqual(['All customers']);
    expect(lines[2]).toEqual(['Jobs']);
    expect(lines[3]).toEqual(['Name', 'Count', 'Finished', 'OK']);
    expect(lines.slice(4, 9)).toEqual([
      ['Contoso, Ltd', '42', '2026-03-01T08:30:00.000Z', 'yes'],
      ['Say "hi" next line', '-3.5', '2026-03-01T08:30:00.000Z', 'no'],
      ['=HYPERLINK("x")', '0', '2026-03-01T08:30:00.000Z', 'yes'],
      ['  padded ', '1234567', '2026-03-01T08:30:00.000Z', 'no'],
      ['Café Zürich', '7', '2026-03-01T08:30:00.000Z', 'yes'],
    ]);
    expect(lines[lines.length - 1]).toEqual(['Job status · page 1']);
  });

  it('PDF: long tables break pages and repeat the header row on each; long text is cut with an ellipsis', async () => {
    const rows: CellValue[][] = Array.from({ length: 120 }, (_, i) => [`row ${i}`, i, when, i % 2 === 0]);
    rows[0][0] = 'A very long organisation name '.repeat(10);
    const pages = pdfPages(await render(doc(rows), 'pdf'));
    expect(pages.length).toBeGreaterThan(2);
    const bodyRows: string[][] = [];
    pages.forEach((lines, p) => {
      const headerAt = lines.findIndex((l) => l.join('|') === 'Name|Count|Finished|OK');
      expect(headerAt).toBeGreaterThanOrEqual(0);
      expect(lines[lines.length - 1]).toEqual([`Job status · page ${p + 1}`]);
      bodyRows.push(...lines.slice(headerAt + 1, -1));
    });
    expect(bodyRows).toHaveLength(120);
    expect(bodyRows[0][0].endsWith('…')).toBe(true);
    expect(bodyRows[0][0].length).toBeLessThan(100);
    bodyRows.slice(1).forEach((cells, i) => expect(cells).toEqual([`row ${i + 1}`, String(i + 1), when.toISOString(), (i + 1) % 2 === 0 ? 'yes' : 'no']));
  });
});

describe('report writers stream', () => {
  it.each(['csv', 'xlsx', 'pdf'] as const)('%s: a consumer that does not read stops the row source; closing it ends the export', async (format) => {
    let pulled = 0;
    const endless: ReportDocument = {
      title: 'Big',
      sections: [
        {
          title: 'Jobs',
          columns: [
            { header: 'Job', type: 'string', width: 20 },
            { header: 'Bytes', type: 'number', width: 10 },
          ],
          rows: async function* () {
            for (let i = 0; i < 1_000_000; i++) {
              pulled++;
              yield [`job-${i}-${'x'.repeat(40)}`, i];
            }
          },
        },
      ],
    };
    const { Writable } = await import('node:stream');
    let accepted = 0;
    // Takes 64 KiB, then never acknowledges again (a stalled client).
    const stalled = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        accepted += chunk.length;
        if (accepted < 64 * 1024) done();
      },
    });
    const writing = writeReport(endless, format, stalled);
    writing.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1500));
    const pulledWhileStalled = pulled;
    await new Promise((r) => setTimeout(r, 500));
    expect(pulled).toBe(pulledWhileStalled); // nothing more is read while the consumer does not drain
    expect(pulled).toBeLessThan(60_000); // a bounded window, nowhere near the million rows
    stalled.destroy();
    await expect(writing).rejects.toThrow();
  });
});
