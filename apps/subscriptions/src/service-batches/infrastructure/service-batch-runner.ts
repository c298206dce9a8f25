import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { Pool } from 'pg';
import { uuidv7, type Clock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, PG_POOL, SERVICE_CONFIG, type ServiceConfig } from '@platform/service-kit';
import { SUBSCRIPTION_BATCH_TARGET, type SubscriptionBatchTarget } from '../../subscriptions/subscription-batch-target';
import { SERVICE_BATCH_RUNS_TABLE } from '../projections/service-batch-runs.projection';
import { BatchExecutor } from './batch-executor';
import { SERVICE_BATCH_CLOCK } from './service-batches.tokens';

/** How long a runner's claim on a batch lasts without renewal (it renews after every chunk). */
const LEASE_SECONDS = 15;
/** How often each runner looks for open batches nobody works on (after a crash, a stop, another process's request). */
const SCAN_INTERVAL_MS = 2_000;
/** Most customers of one batch edited at the same time. */
const MAX_CONCURRENCY = 8;

/**
 * Each edit holds one of the service's database connections while it queries: leave one for
 * HTTP requests and projections (embedded services have 4, standalone ones 10 by default).
 */
export const batchConcurrency = (databasePoolMax: number): number => Math.max(1, Math.min(MAX_CONCURRENCY, databasePoolMax - 1));

/**
 * The F13 process manager's runtime: runs a batch as soon as it is started or retried here
 * (`kick`), and every few seconds picks up open batches (the `subscriptions.service-batch-runs`
 * projection) whose lease is free or expired — on start-up that resumes whatever a previous
 * process left unfinished. A lease in the runs table keeps two processes from working on one
 * batch at once; even if they did (an expired lease), the stream's expected versions and the
 * idempotent target keep every customer edited once.
 */
@Injectable()
export class ServiceBatchRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('subscriptions.service-batches');
  private readonly owner = `runner-${uuidv7()}`;
  private readonly executor: BatchExecutor;
  private readonly running = new Map<string, Promise<void>>();
  /** Kicked again while running (a retry right after completion): run once more afterwards. */
  private readonly again = new Set<string>();
  private readonly stop = new AbortController();
  private scanTimer?: NodeJS.Timeout;
  /** `batchId` events after each recorded append of results here (SSE streams wake on them). */
  private readonly progress = new EventEmitter().setMaxListeners(0);
  private scanning?: Promise<void>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SUBSCRIPTION_BATCH_TARGET) target: SubscriptionBatchTarget,
    @Inject(SERVICE_BATCH_CLOCK) clock: Clock,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.executor = new BatchExecutor(store, target, clock, {
      concurrency: batchConcurrency(config.databasePoolMax),
      onError: (message, context) => this.logger.warn(context, message),
    });
  }

  onApplicationBootstrap(): void {
    this.scheduleScan(0);
  }

  /** Stops taking work, lets the chunks in flight finish and be recorded, releases the leases. */
  async onModuleDestroy(): Promise<void> {
    this.stop.abort();
    if (this.scanTimer) clearTimeout(this.scanTimer);
    await this.scanning;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Work on this batch now (it was just started or retried in this process). */
  kick(batchId: string): void {
    if (this.stop.signal.aborted) return;
    if (this.running.has(batchId)) {
      this.again.add(batchId);
      return;
    }
    const run = this.runOnce(batchId)
      .catch((e: unknown) => this.logger.error({ batchId, error: String(e) }, 'batch run failed; it is resumed by a later scan'))
      .finally(() => {
        this.running.delete(batchId);
        if (this.again.delete(batchId)) this.kick(batchId);
      });
    this.running.set(batchId, run);
  }

  /** Batches running in this process. */
  activeBatches(): string[] {
    return [...this.running.keys()];
  }

  /**
   * Calls `listener` each time this process records results of the batch; returns the
   * unsubscribe function. Progress streams wake at once for batches run here.
   */
  onProgress(batchId: string, listener: () => void): () => void {
    this.progress.on(batchId, listener);
    return () => this.progress.off(batchId, listener);
  }

  /** True once shutdown began: the edits in flight finish, nothing new is started. */
  isStopping(): boolean {
    return this.stop.signal.aborted;
  }

  private async runOnce(batchId: string): Promise<void> {
    if (!(await this.claim(batchId))) return;
    let renewedAt = Date.now();
    // Renewed after recorded results, at most every third of the lease: no query per result.
    const renewIfDue = async (): Promise<void> => {
      if (Date.now() - renewedAt < (LEASE_SECONDS * 1000) / 3) return;
      renewedAt = Date.now();
      await this.renew(batchId);
    };
    const recorded = async (): Promise<void> => {
      this.progress.emit(batchId);
      await renewIfDue();
    };
    try {
      await this.executor.run(batchId, this.stop.signal, recorded);
    } finally {
      await this.release(batchId).catch((e: unknown) => this.logger.warn({ batchId, error: String(e) }, 'releasing the batch lease failed'));
    }
  }

  private scheduleScan(delayMs: number): void {
    if (this.stop.signal.aborted) return;
    this.scanTimer = setTimeout(() => {
      this.scanning = this.scan()
        .catch((e: unknown) => this.logger.warn({ error: String(e) }, 'looking for open batches failed'))
        .finally(() => this.scheduleScan(SCAN_INTERVAL_MS));
    }, delayMs);
    this.scanTimer.unref();
  }

  private async scan(): Promise<void> {
    const { rows } = await this.pool.query<{ batch_id: string }>(
      `SELECT batch_id FROM ${SERVICE_BATCH_RUNS_TABLE}
       WHERE open AND (lease_owner IS NULL OR lease_owner = $1 OR lease_expires_at < now())
       ORDER BY updated_at LIMIT 50`,
      [this.owner],
    );
    for (const r of rows) if (!this.running.has(r.batch_id)) this.kick(r.batch_id);
  }

  /** Takes the batch's lease (creating its row when the projection has not yet). */
  private async claim(batchId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${SERVICE_BATCH_RUNS_TABLE} AS r (batch_id, partner_id, open, lease_owner, lease_expires_at)
       VALUES ($1, '', true, $2, now() + make_interval(secs => $3))
       ON CONFLICT (batch_id) DO UPDATE SET lease_owner = EXCLUDED.lease_owner, lease_expires_at = EXCLUDED.lease_expires_at
       WHERE r.lease_owner IS NULL OR r.lease_owner = $2 OR r.lease_expires_at < now()`,
      [batchId, this.owner, LEASE_SECONDS],
    );
    return (rowCount ?? 0) > 0;
  }

  private async renew(batchId: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${SERVICE_BATCH_RUNS_TABLE} SET lease_expires_at = now() + make_interval(secs => $3) WHERE batch_id = $1 AND lease_owner = $2`,
      [batchId, this.owner, LEASE_SECONDS],
    );
  }

  private async release(batchId: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${SERVICE_BATCH_RUNS_TABLE} SET lease_owner = NULL, lease_expires_at = NULL WHERE batch_id = $1 AND lease_owner = $2`,
      [batchId, this.owner],
    );
  }
}
