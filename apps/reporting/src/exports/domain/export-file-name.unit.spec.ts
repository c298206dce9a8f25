import { contentDisposition, FILE_NAME_MAX_LENGTH, sanitizeFileName } from './export-file-name';

describe('sanitizeFileName', () => {
  it.each([
    ['Storage March', 'Storage March.csv'],
    ['../../etc/passwd', 'etc passwd.csv'],
    ['..\\..\\boot.ini', 'boot.ini.csv'],
    ['a\u0000b\u001fc\u007fd', 'a b c d.csv'],
    ['evil\u202Etxt.exe', 'evil txt.exe.csv'],
    ['report.csv', 'report.csv'],
    ['report.CSV', 'report.csv'],
    ['  ...hidden  ', 'hidden.csv'],
    ['con', '_con.csv'],
    ['what?<>:"|*', 'what.csv'],
    ['Résumé 2026', 'Résumé 2026.csv'],
  ])('%j → %j', (asked, expected) => {
    expect(sanitizeFileName(asked, 'csv', 'fallback')).toBe(expected);
  });

  it('falls back when nothing usable is left', () => {
    expect(sanitizeFileName('/// ..', 'pdf', 'job-status')).toBe('job-status.pdf');
    expect(sanitizeFileName(undefined, 'xlsx', 'storage')).toBe('storage.xlsx');
    expect(sanitizeFileName('', 'xlsx', '')).toBe('report.xlsx');
  });

  it('limits the length in whole code points', () => {
    const name = sanitizeFileName('😀'.repeat(500), 'csv', 'x');
    expect(Array.from(name.replace(/\.csv$/, ''))).toHaveLength(FILE_NAME_MAX_LENGTH);
    expect(name.endsWith('.csv')).toBe(true);
    expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no cut surrogate pair
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name (RFC 5987)', () => {
    expect(contentDisposition('Résumé (1).csv')).toBe(`attachment; filename="R_sum_ (1).csv"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%281%29.csv`);
    expect(contentDisposition("it's.pdf")).toBe(`attachment; filename="it's.pdf"; filename*=UTF-8''it%27s.pdf`);
  });
});
