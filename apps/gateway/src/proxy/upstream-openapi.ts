import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { OpenApiDocumentExtension, ServiceConfig } from '@platform/service-kit';
import { UPSTREAMS, upstreamOf, upstreamUrl, type Upstream } from './proxied-routes';

const RETRY_MS = 10_000;
const FETCH_TIMEOUT_MS = 3000;

type Components = NonNullable<OpenAPIObject['components']>;
const MERGED_COMPONENTS = ['schemas', 'responses', 'parameters'] as const;

/**
 * The gateway's /docs in proxied mode: the operations of every configured service, fetched
 * from `<service URL>/docs-json` at start (each retried every 10 s until it answers, since the
 * services may start after the gateway), merged into the gateway's own document. Only the paths
 * a service owns by the route table are taken from it. Best effort: until a service answers,
 * /docs lacks its routes.
 */
export class UpstreamOpenApi implements OpenApiDocumentExtension, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GatewayDocs');
  private readonly documents = new Map<Upstream, OpenAPIObject>();
  private readonly timers = new Map<Upstream, NodeJS.Timeout>();
  private readonly warnedConflicts = new Set<string>();
  private stopped = false;

  constructor(private readonly config: ServiceConfig) {}

  /** The services with a URL here, in route-table order. */
  get upstreams(): Upstream[] {
    return UPSTREAMS.filter((u) => upstreamUrl(this.config, u) !== undefined);
  }

  onApplicationBootstrap(): void {
    for (const upstream of this.upstreams) void this.load(upstream);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  /** Fetches one service's document; true once it is in. */
  async load(upstream: Upstream): Promise<boolean> {
    const base = upstreamUrl(this.config, upstream);
    if (base === undefined) return false;
    const url = `${base}/docs-json`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.documents.set(upstream, (await res.json()) as OpenAPIObject);
      this.logger.log(`merged the ${upstream} service's API description from ${url}`);
      return true;
    } catch (e) {
      if (this.stopped) return false;
      this.logger.warn(`${upstream} service API description not available yet (${(e as Error).message}); retrying in ${RETRY_MS / 1000} s`);
      const timer = setTimeout(() => void this.load(upstream), RETRY_MS);
      timer.unref();
      this.timers.set(upstream, timer);
      return false;
    }
  }

  extend(document: OpenAPIObject): OpenAPIObject {
    const paths = { ...document.paths };
    const tags = [...(document.tags ?? [])];
    const components: Components = { ...document.components };
    for (const upstream of UPSTREAMS) {
      const fetched = this.documents.get(upstream);
      if (!fetched) continue;
      for (const [path, item] of Object.entries(fetched.paths ?? {})) {
        if (upstreamOf(path) === upstream) paths[path] = item;
      }
      for (const tag of fetched.tags ?? []) if (!tags.some((t) => t.name === tag.name)) tags.push(tag);
      for (const kind of MERGED_COMPONENTS) {
        const theirs = fetched.components?.[kind];
        if (!theirs) continue;
        const merged: Record<string, unknown> = { ...components[kind] };
        for (const [name, value] of Object.entries(theirs)) {
          // The gateway's own and earlier services' definitions win; a differing one is reported once.
          if (!(name in merged)) merged[name] = value;
          else if (JSON.stringify(merged[name]) !== JSON.stringify(value)) this.warnConflict(upstream, kind, name);
        }
        (components as Record<string, unknown>)[kind] = merged;
      }
    }
    return { ...document, paths, tags, components };
  }

  private warnConflict(upstream: Upstream, kind: string, name: string): void {
    const key = `${upstream}/${kind}/${name}`;
    if (this.warnedConflicts.has(key)) return;
    this.warnedConflicts.add(key);
    this.logger.warn(`/docs: ${kind} "${name}" of the ${upstream} service differs from one already merged; the first is shown`);
  }
}
