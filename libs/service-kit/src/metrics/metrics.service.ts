import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One Prometheus registry per application instance (not prom-client's global one), so several
 * apps in one process (tests, restarts) never collide on metric names.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly refreshers: Array<() => Promise<void>> = [];
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, matched route and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  /** Express middleware timing each request; unmatched paths share one label to bound cardinality. */
  readonly httpMiddleware = (req: Request, res: Response, next: () => void): void => {
    const end = this.httpDuration.startTimer();
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl ?? ''}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route, status_code: String(res.statusCode) });
    });
    next();
  };

  /** Registers a gauge (or returns the one already registered under that name). */
  gauge<L extends string>(config: { name: string; help: string; labelNames: readonly L[]; collect?: (g: Gauge<L>) => void | Promise<void> }): Gauge<L> {
    const existing = this.registry.getSingleMetric(config.name);
    if (existing) return existing as Gauge<L>;
    const { collect, ...rest } = config;
    return new Gauge<L>({
      ...rest,
      labelNames: rest.labelNames as L[],
      registers: [this.registry],
      ...(collect ? { collect(this: Gauge<L>) { return collect(this); } } : {}),
    });
  }

  counter<L extends string>(config: { name: string; help: string; labelNames: readonly L[] }): Counter<L> {
    const existing = this.registry.getSingleMetric(config.name);
    if (existing) return existing as Counter<L>;
    return new Counter<L>({ ...config, labelNames: config.labelNames as L[], registers: [this.registry] });
  }

  /** Work done once per scrape before the registry renders (e.g. refreshing gauges from one query). */
  beforeScrape(refresh: () => Promise<void>): void {
    this.refreshers.push(refresh);
  }

  async metrics(): Promise<string> {
    // A failing source must not take the whole scrape down; its gauges just keep their last values.
    await Promise.all(this.refreshers.map((r) => r().catch(() => undefined)));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
