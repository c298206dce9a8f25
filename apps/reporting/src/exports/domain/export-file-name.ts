import type { ExportFormat } from './report-table';

export const FILE_NAME_MAX_LENGTH = 120;

// Path separators, characters Windows refuses, C0/C1 control characters, bidi overrides.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[/\\<>:"|?*\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * The name a download is saved under: the asked name without anything that could leave the
 * download folder or confuse a file system or terminal (path separators, `..`, control and
 * bidi characters, reserved device names), at most FILE_NAME_MAX_LENGTH characters (whole code
 * points), with the format's extension; `fallback` when nothing usable is left.
 */
export function sanitizeFileName(asked: string | undefined, format: ExportFormat, fallback: string): string {
  const clean = (raw: string): string => {
    let name = raw.normalize('NFC').replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
    const ext = `.${format}`;
    if (name.toLowerCase().endsWith(ext)) name = name.slice(0, -ext.length);
    name = name.replace(/^[.\s]+|[.\s]+$/g, '');
    const points = Array.from(name);
    if (points.length > FILE_NAME_MAX_LENGTH) name = points.slice(0, FILE_NAME_MAX_LENGTH).join('').replace(/[.\s]+$/g, '');
    if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
    return name;
  };
  const name = clean(asked ?? '') || clean(fallback) || 'report';
  return `${name}.${format}`;
}

/** RFC 5987 value: UTF-8 percent-encoded, with the characters encodeURIComponent leaves but attr-char forbids. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `Content-Disposition: attachment` with an ASCII fallback `filename` (non-ASCII → `_`,
 * quotes and backslashes removed) and the exact name in `filename*` (RFC 6266 / RFC 5987).
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(fileName)}`;
}
