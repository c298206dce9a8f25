import { Injectable } from '@nestjs/common';

/** What a service reports about one of its projection runners. */
export interface ProjectionStatusView {
  name: string;
  /** The runner's own state word (`running`, `standby`, `stopped`, `failed`, …). */
  state: string;
  /** Checkpoint: the log position the projection has handled everything up to. */
  position: bigint;
  /** Events (log positions) between the checkpoint and the head of the log. */
  lag: number;
  /** Age of the oldest event read but not applied yet; null when the runner does not know. */
  lagMs?: number | null;
  /** Events set aside after repeated failures; they wait for an operator. */
  parked: number;
  lastError?: string;
}

export interface ProjectionHealth extends ProjectionStatusView {
  service: string;
  stuck: boolean;
  /** Why it counts as stuck. */
  reason?: string;
}

export type ProjectionStatusSource = () => Promise<ProjectionStatusView[]>;

const FAILED_STATES = new Set(['failed', 'crashed', 'stopped']);

interface Progress {
  position: bigint;
  since: number;
}

/**
 * Collects projection statuses from every service in the process for readiness and metrics,
 * and decides "stuck": the runner is down, or events are waiting while its checkpoint has not
 * moved for `stallMs`. A lag alone is not stuck (a rebuild or a burst is catching up).
 */
@Injectable()
export class ProjectionMonitor {
  private readonly sources = new Map<string, ProjectionStatusSource>();
  private readonly progress = new Map<string, Progress>();
  private stallMs = 60_000;

  constructor(private readonly now: () => number = Date.now) {}

  configure(options: { stallMs: number }): void {
    this.stallMs = options.stallMs;
  }

  add(service: string, source: ProjectionStatusSource): void {
    if (this.sources.has(service)) throw new Error(`projection statuses of ${service} are registered twice`);
    this.sources.set(service, source);
  }

  remove(service: string): void {
    this.sources.delete(service);
  }

  async statuses(service?: string): Promise<ProjectionHealth[]> {
    const entries = [...this.sources.entries()].filter(([s]) => service === undefined || s === service);
    const lists = await Promise.all(entries.map(async ([s, source]) => (await source()).map((v) => this.judge(s, v))));
    return lists.flat();
  }

  private judge(service: string, view: ProjectionStatusView): ProjectionHealth {
    const key = `${service}/${view.name}`;
    const now = this.now();
    const seen = this.progress.get(key);
    if (!seen || seen.position !== view.position || view.lag === 0) {
      this.progress.set(key, { position: view.position, since: now });
    }
    const stalledFor = now - (this.progress.get(key)?.since ?? now);
    let reason: string | undefined;
    if (FAILED_STATES.has(view.state)) reason = `runner is ${view.state}${view.lastError ? `: ${view.lastError}` : ''}`;
    else if (view.lag > 0 && stalledFor >= this.stallMs) {
      reason = `${view.lag} events waiting and no progress for ${Math.round(stalledFor / 1000)} s`;
    }
    return { ...view, service, stuck: reason !== undefined, ...(reason ? { reason } : {}) };
  }
}
