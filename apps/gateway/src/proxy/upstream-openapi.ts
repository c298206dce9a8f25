import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { OpenApiDocumentExtension, ServiceConfig } from '@platform/service-kit';
import { upstreamOf } from './proxied-routes';

const RETRY_MS = 10_000;
const FETCH_TIMEOUT_MS = 3000;

/**
 * The gateway's /docs in proxied mode: the operations of the customers service, fetched from
 * `${CUSTOMERS_URL}/docs-json` at start (and retried every 10 s until it answers, since the
 * service may start after the gateway), merged into the gateway's own document. Best effort:
 * until the service answers, /docs shows only the gateway's routes.
 */
export class UpstreamOpenApi implements OpenApiDocumentExtension, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GatewayDocs');
  private upstream: OpenAPIObject | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly config: ServiceConfig) {}

  onApplicationBootstrap(): void {
    void this.load();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  /** Fetches the service's document; true once it is in. */
  async load(): Promise<boolean> {
    const url = `${this.config.customersUrl}/docs-json`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.upstream = (await res.json()) as OpenAPIObject;
      this.logger.log(`merged the customers service's API description from ${url}`);
      return true;
    } catch (e) {
      this.logger.warn(`customers service API description not available yet (${(e as Error).message}); retrying in ${RETRY_MS / 1000} s`);
      this.timer = setTimeout(() => void this.load(), RETRY_MS);
      this.timer.unref();
      return false;
    }
  }

  extend(document: OpenAPIObject): OpenAPIObject {
    const upstream = this.upstream;
    if (!upstream) return document;
    const paths = { ...document.paths };
    for (const [path, item] of Object.entries(upstream.paths ?? {})) {
      if (upstreamOf(path) === 'customers') paths[path] = item;
    }
    return {
      ...document,
      paths,
      tags: [...(document.tags ?? []), ...(upstream.tags ?? []).filter((t) => !(document.tags ?? []).some((d) => d.name === t.name))],
      components: {
        ...document.components,
        schemas: { ...upstream.components?.schemas, ...document.components?.schemas },
        responses: { ...upstream.components?.responses, ...document.components?.responses },
        parameters: { ...upstream.components?.parameters, ...document.components?.parameters },
      },
    };
  }
}
