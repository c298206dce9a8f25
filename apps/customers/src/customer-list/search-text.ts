/**
 * The one normalisation used both for the stored search column and for the query term, so
 * `societe` finds `Société Générale`: Unicode NFD, combining marks removed, lower-cased.
 * Done in JS so PostgreSQL needs no `unaccent` extension (PGlite has none).
 */
export function normalizeSearchText(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().normalize('NFC').trim();
}

/** Escapes LIKE wildcards so a user's `%` or `_` matches literally (escape character `\`). */
export function escapeLikePattern(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
