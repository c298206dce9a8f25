import type { IncomingHttpHeaders } from 'node:http';

/**
 * Serialised list answers, valid for exactly one checkpoint of the customer-list projection
 * (the read model changes only together with its checkpoint), keyed by the caller's exact
 * credentials and the exact URL. A hit is an answer the full pipeline (authentication, roles,
 * validation, query) already gave to this token for this URL at this position, so serving
 * it again only needs the token to still be valid. Any checkpoint move empties it.
 */
export class ListResponseCache {
  private position: bigint | undefined;
  private readonly entries = new Map<string, Buffer>();

  constructor(private readonly maxEntries = 2000) {}

  static key(headers: IncomingHttpHeaders, url: string): string | undefined {
    const authorization = headers.authorization;
    // Answers that depend on more than the token and the URL are never cached.
    if (!authorization || headers['x-min-position'] !== undefined) return undefined;
    return `${authorization}\n${url}`;
  }

  get(position: bigint | undefined, key: string): Buffer | undefined {
    if (position === undefined || position !== this.position) return undefined;
    return this.entries.get(key);
  }

  set(position: bigint | undefined, key: string, body: Buffer): void {
    if (position === undefined) return;
    if (position !== this.position) {
      this.entries.clear();
      this.position = position;
    }
    this.entries.delete(key);
    this.entries.set(key, body);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
