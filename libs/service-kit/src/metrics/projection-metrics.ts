import type { ProjectionMonitor } from '../projections/projection-monitor';
import type { MetricsService } from './metrics.service';

/** Gauges read from the projection monitor at scrape time. */
export function registerProjectionMetrics(metrics: MetricsService, monitor: ProjectionMonitor): void {
  const labelNames = ['service', 'projection'] as const;
  const position = metrics.gauge({ name: 'projection_position', help: 'Log position the projection has handled up to', labelNames });
  const lag = metrics.gauge({ name: 'projection_lag', help: 'Log positions between the projection checkpoint and the head', labelNames });
  const lagSeconds = metrics.gauge({
    name: 'projection_lag_seconds',
    help: 'Age of the oldest event read but not yet applied (0 when caught up)',
    labelNames,
  });
  const parked = metrics.gauge({ name: 'projection_parked_events', help: 'Events parked after repeated failures', labelNames });
  const stuck = metrics.gauge({
    name: 'projection_stuck',
    help: '1 when the projection runner is down or has not progressed while events wait',
    labelNames,
  });
  const refresh = async () => {
    const statuses = await monitor.statuses();
    for (const g of [position, lag, lagSeconds, parked, stuck]) g.reset();
    for (const s of statuses) {
      const labels = { service: s.service, projection: s.name };
      position.set(labels, Number(s.position));
      lag.set(labels, s.lag);
      if (s.lagMs !== undefined && s.lagMs !== null) lagSeconds.set(labels, s.lagMs / 1000);
      parked.set(labels, s.parked);
      stuck.set(labels, s.stuck ? 1 : 0);
    }
  };
  metrics.beforeScrape(refresh);
}
