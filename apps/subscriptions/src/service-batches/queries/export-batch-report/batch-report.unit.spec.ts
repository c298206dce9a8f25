import { parseCsv } from '@platform/testing';
import { csvField, toCsv } from './batch-report';

describe('batch report CSV', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(3)).toBe('3');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@sum')).toBe("'@sum");
    expect(csvField(-1)).toBe('-1');
  });

  it('round-trips through an RFC 4180 reader, row by row', () => {
    const rows = [
      ['0192e5f0-0000-7000-8000-000000000001', 'failed', 'Rossi, "Logistica"\r\nS.p.A.', '', 2],
      ['0192e5f0-0000-7000-8000-000000000002', 'succeeded', '', 'sub', 1],
    ];
    const csv = toCsv(['Customer ID', 'Outcome', 'Reason', 'Subscription ID', 'Attempts'], rows);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)).toEqual([['Customer ID', 'Outcome', 'Reason', 'Subscription ID', 'Attempts'], ...rows.map((r) => r.map(String))]);
  });
});
