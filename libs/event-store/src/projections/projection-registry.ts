import type { ProjectionStatus } from './projection-runner';

/** Anything that reports a projection's status; `ProjectionRunner` is one. */
export interface ProjectionStatusSource {
  readonly name: string;
  status(): ProjectionStatus;
}

interface Startable extends ProjectionStatusSource {
  start(): void;
  stop(): Promise<void>;
}

/**
 * The runners of one process, for the service layer: start/stop them together and list their
 * statuses for readiness checks and metrics (`projection_lag`, `projection_parked_events`,
 * `projection_position`, …). Framework-free on purpose; the Nest module wraps it.
 */
export class ProjectionRegistry<T extends Startable = Startable> {
  private readonly runners = new Map<string, T>();

  register(runner: T): T {
    if (this.runners.has(runner.name)) throw new Error(`projection ${runner.name} is already registered`);
    this.runners.set(runner.name, runner);
    return runner;
  }

  get(name: string): T | undefined {
    return this.runners.get(name);
  }

  all(): T[] {
    return [...this.runners.values()];
  }

  statuses(): ProjectionStatus[] {
    return this.all().map((r) => r.status());
  }

  startAll(): void {
    for (const r of this.runners.values()) r.start();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all().map((r) => r.stop()));
  }
}

/** A status with bigints as decimal strings and dates as ISO strings, for JSON (health endpoints). */
export function projectionStatusJson(s: ProjectionStatus): Record<string, unknown> {
  return {
    ...s,
    position: s.position.toString(),
    readPosition: s.readPosition.toString(),
    headPosition: s.headPosition?.toString() ?? null,
    lag: s.lag?.toString() ?? null,
    lastError: s.lastError && { ...s.lastError, at: s.lastError.at.toISOString() },
    lastProcessedAt: s.lastProcessedAt?.toISOString() ?? null,
  };
}
