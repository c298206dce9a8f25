import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { cellText, type CellValue, type ExportFormat, type ReportDocument, type ReportSection } from '../domain/report-table';

/** Resolves once `out` can take more, rejects when it fails or closes first (client went away). */
function drain(out: Writable): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('the output was closed'));
  if (!out.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
    };
    const onDrain = () => (cleanup(), resolve());
    const onError = (e: Error) => (cleanup(), reject(e));
    const onClose = () => (cleanup(), reject(new Error('the output was closed')));
    out.once('drain', onDrain);
    out.once('error', onError);
    out.once('close', onClose);
  });
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------- CSV (RFC 4180)

/** Cells a spreadsheet would run as a formula (CSV injection) start with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CellValue): string {
  let text = cellText(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: readonly CellValue[]): string => `${cells.map(csvField).join(',')}\r\n`;

/**
 * UTF-8 with a BOM (spreadsheets then read accents right), CRLF lines, fields quoted when they
 * hold a quote, comma, line break or edge blank. Several sections follow each other, each
 * introduced by its title line and separated by an empty line.
 */
async function writeCsv(doc: ReportDocument, out: Writable): Promise<void> {
  let buffer = '\uFEFF';
  const flush = async () => {
    if (buffer.length === 0) return;
    out.write(buffer);
    buffer = '';
    await drain(out);
  };
  const several = doc.sections.length > 1;
  for (const [i, section] of doc.sections.entries()) {
    if (several) buffer += `${i > 0 ? '\r\n' : ''}${csvLine([section.title])}`;
    buffer += csvLine(section.columns.map((c) => c.header));
    for await (const row of section.rows()) {
      buffer += csvLine(row);
      if (buffer.length >= 64 * 1024) await flush();
    }
  }
  await flush();
  out.end();
  await finished(out);
}

// ---------------------------------------------------------------- XLSX (exceljs streaming writer)

export function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Report';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/** One worksheet per section: bold frozen header row, typed cells (dates as dates), committed row by row. */
async function writeXlsx(doc: ReportDocument, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'MSP platform reporting';
  workbook.title = doc.title;
  const taken = new Set<string>();
  for (const section of doc.sections) {
    const sheet = workbook.addWorksheet(sheetName(section.title, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = section.columns.map((c, i) => ({
      header: c.header,
      key: `c${i}`,
      width: Math.max(8, Math.min(60, c.width)),
      ...(c.type === 'date' ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } } : {}),
    }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.commit();
    let n = 0;
    for await (const row of section.rows()) {
      // XML keeps no CR: a CRLF inside a cell reads back as LF anyway, so write it so.
      sheet.addRow(row.map((v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v))).commit();
      if (++n % 1000 === 0) {
        await drain(out);
        await yieldToEventLoop();
      }
    }
    sheet.commit();
  }
  await workbook.commit();
  await finished(out);
}

// ---------------------------------------------------------------- PDF (pdfkit table layout)

const PDF = {
  margin: 36,
  fontSize: 8,
  rowHeight: 14,
  padding: 3,
  footer: 16,
} as const;

interface PdfColumnBox {
  x: number;
  width: number;
  align: 'left' | 'right';
}

/**
 * A4 landscape, one table per section: a shaded header row repeated on every page the table
 * continues on, thin row rules, text cut with an ellipsis to its column, numbers right-aligned,
 * a page number in each footer. Pages are flushed as they fill (nothing is buffered).
 */
async function writePdf(doc: ReportDocument, out: Writable): Promise<void> {
  const pdf = new PDFDocument({ size: 'A4', layout: 'landscape', margin: PDF.margin, info: { Title: doc.title, Creator: 'MSP platform reporting' } });
  pdf.pipe(out);
  let page = 1;
  const left = PDF.margin;
  const usable = pdf.page.width - 2 * PDF.margin;
  const bottom = () => pdf.page.height - PDF.margin - PDF.footer;

  const footer = () => {
    pdf.font('Helvetica').fontSize(7).fillColor('#666666');
    const label = `${doc.title} · page ${page}`;
    pdf.text(label, left, pdf.page.height - PDF.margin - 10, { lineBreak: false });
    pdf.fillColor('black');
  };

  const fit = (text: string, width: number): string => {
    if (pdf.widthOfString(text) <= width) return text;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (pdf.widthOfString(`${text.slice(0, mid)}…`) <= width) lo = mid;
      else hi = mid - 1;
    }
    return `${text.slice(0, lo)}…`;
  };

  const drawRow = (cells: string[], boxes: PdfColumnBox[], y: number, header: boolean) => {
    if (header) pdf.rect(left, y, usable, PDF.rowHeight).fill('#e6e9ef').fillColor('black');
    pdf.font(header ? 'Helvetica-Bold' : 'Helvetica').fontSize(PDF.fontSize);
    cells.forEach((cell, i) => {
      const box = boxes[i];
      const inner = box.width - 2 * PDF.padding;
      const text = fit(cell, inner);
      const x = box.align === 'right' && !header ? box.x + box.width - PDF.padding - pdf.widthOfString(text) : box.x + PDF.padding;
      pdf.text(text, x, y + PDF.padding + 1, { lineBreak: false });
    });
    pdf
      .moveTo(left, y + PDF.rowHeight)
      .lineTo(left + usable, y + PDF.rowHeight)
      .lineWidth(header ? 0.8 : 0.3)
      .strokeColor(header ? '#8a94a6' : '#d0d4dc')
      .stroke();
  };

  const newPage = () => {
    pdf.addPage();
    page += 1;
    footer();
    return PDF.margin;
  };

  pdf.font('Helvetica-Bold').fontSize(14).text(doc.title, left, PDF.margin, { lineBreak: false });
  let y = PDF.margin + 20;
  if (doc.subtitle) {
    pdf.font('Helvetica').fontSize(9).fillColor('#444444').text(doc.subtitle, left, y, { lineBreak: false }).fillColor('black');
    y += 14;
  }
  footer();
  y += 6;

  let rowsSinceCheck = 0;
  for (const section of doc.sections) {
    const boxes = columnBoxes(section, left, usable);
    const headers = section.columns.map((c) => c.header);
    if (y + 18 + 2 * PDF.rowHeight > bottom()) y = newPage();
    pdf.font('Helvetica-Bold').fontSize(11).text(section.title, left, y, { lineBreak: false });
    y += 18;
    drawRow(headers, boxes, y, true);
    y += PDF.rowHeight;
    for await (const row of section.rows()) {
      if (y + PDF.rowHeight > bottom()) {
        y = newPage();
        drawRow(headers, boxes, y, true);
        y += PDF.rowHeight;
      }
      drawRow(row.map((v) => cellText(v).replace(/\s*[\r\n]+\s*/g, ' ')), boxes, y, false);
      y += PDF.rowHeight;
      if (++rowsSinceCheck >= 200) {
        rowsSinceCheck = 0;
        await drain(out);
        await yieldToEventLoop();
      }
    }
    y += 12;
  }
  pdf.end();
  await finished(out);
}

function columnBoxes(section: ReportSection, left: number, usable: number): PdfColumnBox[] {
  const total = section.columns.reduce((sum, c) => sum + Math.max(1, c.width), 0);
  let x = left;
  return section.columns.map((c) => {
    const width = (usable * Math.max(1, c.width)) / total;
    const box: PdfColumnBox = { x, width, align: c.type === 'number' ? 'right' : 'left' };
    x += width;
    return box;
  });
}

/** Writes the whole document to `out` in the format, ends it, and resolves once it is flushed. */
export function writeReport(doc: ReportDocument, format: ExportFormat, out: Writable): Promise<void> {
  switch (format) {
    case 'csv':
      return writeCsv(doc, out);
    case 'xlsx':
      return writeXlsx(doc, out);
    case 'pdf':
      return writePdf(doc, out);
  }
}

/** The whole file in memory: for reports kept to be downloaded later (one customer's, or a scheduled export). */
export async function renderReport(doc: ReportDocument, format: ExportFormat): Promise<Buffer> {
  const { PassThrough } = await import('node:stream');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeReport(doc, format, out);
  return Buffer.concat(chunks);
}
