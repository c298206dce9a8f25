import { inflateSync } from 'node:zlib';

/** WinAnsi bytes 0x80–0x9f that differ from Latin-1 (the ones reports use). */
const WIN_ANSI: Record<number, string> = { 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—', 0x80: '€' };

const decodeHex = (hex: string): string => {
  const bytes = Buffer.from(hex, 'hex');
  return Array.from(bytes, (b) => WIN_ANSI[b] ?? String.fromCharCode(b)).join('');
};

/**
 * Text of a pdfkit PDF (standard fonts): per page (content stream, in order), its text runs
 * grouped into lines by baseline and ordered left to right — enough to read a table back cell
 * by cell. Parses the content streams itself (FlateDecode + `TJ` hex strings).
 */
export function pdfPages(pdf: Buffer): string[][][] {
  const latin = pdf.toString('latin1');
  const pages: string[][][] = [];
  for (const m of latin.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = latin.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue; // not a compressed content stream
    }
    if (!content.includes(' Tm')) continue;
    const runs: Array<{ x: number; y: number; text: string }> = [];
    for (const bt of content.matchAll(/BT\s+1 0 0 1 ([\d.-]+) ([\d.-]+) Tm[\s\S]*?\[(.*?)\] TJ\s+ET/g)) {
      const text = [...bt[3].matchAll(/<([0-9a-f]*)>/gi)].map((h) => decodeHex(h[1])).join('');
      runs.push({ x: Number(bt[1]), y: Math.round(Number(bt[2]) * 10) / 10, text });
    }
    const lines = new Map<number, Array<{ x: number; text: string }>>();
    for (const r of runs) lines.set(r.y, [...(lines.get(r.y) ?? []), { x: r.x, text: r.text }]);
    pages.push(
      [...lines.entries()]
        .sort((a, b) => b[0] - a[0]) // PDF y grows upwards: top line first
        .map(([, items]) => items.sort((a, b) => a.x - b.x).map((i) => i.text)),
    );
  }
  return pages;
}
