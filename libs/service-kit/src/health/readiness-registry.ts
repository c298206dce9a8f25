import { Injectable } from '@nestjs/common';

export interface ReadinessCheckResult {
  ok: boolean;
  /** Shown in the /health/ready body (never secrets). */
  details?: Record<string, unknown>;
}

/** One thing a process needs before it takes traffic: its database, its migrations, its Kafka producer, … */
export interface ReadinessCheck {
  /** Unique key in the readiness body, e.g. `customers.database`. */
  name: string;
  check(): Promise<ReadinessCheckResult>;
}

/**
 * Where each service's infrastructure registers what readiness depends on; the health
 * controller runs them all. In the all-in-one process every service adds its own checks here.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly registered = new Map<string, ReadinessCheck>();

  add(check: ReadinessCheck): void {
    if (this.registered.has(check.name)) throw new Error(`readiness check "${check.name}" is registered twice`);
    this.registered.set(check.name, check);
  }

  remove(name: string): void {
    this.registered.delete(name);
  }

  all(): ReadinessCheck[] {
    return [...this.registered.values()];
  }
}
