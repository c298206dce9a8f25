import { CodedError, deterministicUuid, sleep, type Clock } from '@platform/core';
import type { EventMetadata, EventStore } from '@platform/event-store';
import type { SubscriptionBatchTarget } from '../../subscriptions/subscription-batch-target';
import {
  decideServiceBatch,
  evolveServiceBatch,
  pendingCustomers,
  type CustomerResultInput,
  type ServiceBatch,
  type ServiceBatchState,
} from '../domain/service-batch.decider';
import { ServiceBatchErrorCode } from '../domain/service-batch.errors';
import { serviceBatchStreamId, type ServiceBatchEvent } from '../domain/service-batch.events';
import { expectedVersion } from '@platform/event-store';
import { isConcurrencyError, loadBatch, toNewEvents, type LoadedBatch } from './batch-streams';

export const SERVICE_BATCH_ACTOR = { type: 'system' as const, id: 'subscriptions.service-batches' };

export interface BatchExecutorOptions {
  /** Customers edited at the same time (default 10). */
  concurrency?: number;
  /** Tries of one customer's edit when the subscriptions side throws unexpectedly (default 3). */
  editAttempts?: number;
  /** First delay between those tries, doubling (default 200 ms). */
  retryDelayMs?: number;
  /** Longest a result waits to be recorded with others (default 100 ms); `concurrency` results are recorded at once. */
  flushDelayMs?: number;
  /** Told about unexpected failures (logging). */
  onError?: (message: string, context: Record<string, unknown>) => void;
}

export type BatchRunOutcome = 'completed' | 'stopped' | 'unknown';

/**
 * The process manager's work on one batch (F13): load the `batch-<id>` stream, edit the
 * customers still pending in the current attempt through the subscriptions side, record their
 * results, until none is pending (the decider then completes the batch). Everything it needs
 * is on the stream, so a run that stopped anywhere is resumed by running it again: a customer
 * whose result is recorded is never edited again, and one edited but not yet recorded is asked
 * again of a target that is idempotent per (batchId, customerId).
 */
export class BatchExecutor {
  private readonly concurrency: number;
  private readonly editAttempts: number;
  private readonly retryDelayMs: number;
  private readonly flushDelayMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly target: SubscriptionBatchTarget,
    private readonly clock: Clock,
    private readonly options: BatchExecutorOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 10);
    this.editAttempts = Math.max(1, options.editAttempts ?? 3);
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.flushDelayMs = options.flushDelayMs ?? 100;
  }

  /**
   * Runs the batch until it is completed or `signal` aborts (edits in flight are finished and
   * recorded first). Up to `concurrency` customers are edited at a time; their results are
   * recorded in groups (see ResultRecorder.add), one append at a time. `onProgress` is called
   * after each recorded append (lease renewal).
   */
  async run(batchId: string, signal?: AbortSignal, onProgress?: () => Promise<void>): Promise<BatchRunOutcome> {
    for (;;) {
      const loaded = await loadBatch(this.store, batchId);
      if (loaded.state.status === 'none') return 'unknown';
      if (loaded.state.status === 'completed') return 'completed';
      if (signal?.aborted) return 'stopped';
      const recorder = new ResultRecorder(this, batchId, loaded.state, loaded.version, this.concurrency, this.flushDelayMs, onProgress);
      const batch = loaded.state;
      const todo = pendingCustomers(batch);
      let unanswered = 0;
      const worker = async (): Promise<void> => {
        while (!signal?.aborted && !recorder.failed) {
          const next = todo.shift();
          if (next === undefined) return;
          const result = await this.edit(batch, batchId, next, signal);
          if (result) recorder.add(result);
          else unanswered++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, todo.length) }, worker));
      await recorder.drain();
      if (unanswered > 0 || todo.length > 0) return 'stopped';
    }
  }

  /** Appends the results on the batch's stream (the decider drops what is already recorded). */
  async record(batchId: string, batch: ServiceBatch, version: number, results: CustomerResultInput[]): Promise<{ events: ServiceBatchEvent[]; version: number }> {
    const decision = decideServiceBatch({ type: 'RecordCustomerResults', data: { attempt: batch.attempt, results } }, batch);
    if (!decision.ok) throw decision.error;
    const events: ServiceBatchEvent[] = decision.value;
    if (events.length === 0) return { events, version };
    const now = this.clock.now().toISOString();
    const appended = await this.store.append(
      serviceBatchStreamId(batchId),
      toNewEvents(
        events,
        (i) => ({
          partnerId: batch.partnerId,
          ...('customerId' in events[i].data ? { customerId: (events[i].data as { customerId: string }).customerId } : {}),
          occurredAt: now,
          correlationId: batch.attemptCorrelationId ?? batchId,
          ...(batch.attemptEventId ? { causationId: batch.attemptEventId } : {}),
          actor: SERVICE_BATCH_ACTOR,
          batchId,
        }),
        // The same result of the same attempt always has the same id: a repeated append is a no-op.
        (i) => {
          const e = events[i];
          const who = 'customerId' in e.data ? (e.data as { customerId: string }).customerId : '';
          return deterministicUuid('service-batch', batchId, String(batch.attempt), e.type, who);
        },
      ),
      { expectedVersion: expectedVersion(version) },
    );
    return { events, version: appended.nextExpectedVersion };
  }

  /** Reloads the batch after a lost race on its stream. */
  reload(batchId: string): Promise<LoadedBatch> {
    return loadBatch(this.store, batchId);
  }

  /** One customer's edit; `undefined` when stopped before an answer (it stays pending). */
  private async edit(batch: ServiceBatch, batchId: string, customerId: string, signal?: AbortSignal): Promise<CustomerResultInput | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.target.applyBatchEdit({
          batchId,
          partnerId: batch.partnerId,
          customerId,
          serviceCode: batch.serviceCode,
          changes: batch.changes,
          metadata: this.editMetadata(batch, batchId, customerId),
        });
        return {
          customerId,
          outcome: answer.outcome,
          ...(answer.reason !== undefined ? { reason: answer.reason } : {}),
          ...(answer.subscriptionId !== undefined ? { subscriptionId: answer.subscriptionId } : {}),
        };
      } catch (e) {
        // A refusal with a code is that customer's answer; anything else (database, lost race) is tried again.
        if (e instanceof CodedError && !isConcurrencyError(e)) return { customerId, outcome: 'failed', reason: e.code };
        this.options.onError?.('batch edit of one customer failed', { batchId, customerId, attempt, error: String(e) });
        if (signal?.aborted) return undefined;
        if (attempt >= this.editAttempts) return { customerId, outcome: 'failed', reason: ServiceBatchErrorCode.EDIT_ERROR };
        await sleep(this.retryDelayMs * 2 ** (attempt - 1), signal);
        if (signal?.aborted) return undefined;
      }
    }
  }

  private editMetadata(batch: ServiceBatch, batchId: string, customerId: string): EventMetadata {
    return {
      partnerId: batch.partnerId,
      customerId,
      occurredAt: this.clock.now().toISOString(),
      correlationId: batch.attemptCorrelationId ?? batchId,
      ...(batch.attemptEventId ? { causationId: batch.attemptEventId } : {}),
      // The edit is the user's who started the batch (or its retry); the batch is how it was made.
      actor: batch.attemptActorId ? { type: 'user', id: batch.attemptActorId } : SERVICE_BATCH_ACTOR,
      batchId,
    };
  }
}

/**
 * Records a run's results in order, one append at a time: results that arrive while an append
 * is in flight go together into the next (group commit). A lost race on the stream (another
 * runner) reloads it and decides again; any other failure stops the run (the scan resumes it).
 */
class ResultRecorder {
  private queue: CustomerResultInput[] = [];
  private chain: Promise<void> = Promise.resolve();
  private error: unknown;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly executor: BatchExecutor,
    private readonly batchId: string,
    private state: ServiceBatchState,
    private version: number,
    private readonly flushSize: number,
    private readonly flushDelayMs: number,
    private readonly onProgress?: () => Promise<void>,
  ) {}

  get failed(): boolean {
    return this.error !== undefined;
  }

  /**
   * Every append wakes every projection of the system: results are recorded when `flushSize` of
   * them wait, or `flushDelayMs` after the first one came (enough for a progress bar), or at the end.
   */
  add(result: CustomerResultInput): void {
    this.queue.push(result);
    if (this.queue.length >= this.flushSize) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), this.flushDelayMs);
  }

  async drain(): Promise<void> {
    this.flushNow();
    await this.chain;
    if (this.error !== undefined) throw this.error;
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.chain = this.chain.then(() => this.flush());
  }

  private async flush(): Promise<void> {
    if (this.error !== undefined || this.queue.length === 0) return;
    const results = this.queue;
    this.queue = [];
    try {
      for (let attempt = 1; ; attempt++) {
        if (this.state.status !== 'running') return;
        try {
          const { events, version } = await this.executor.record(this.batchId, this.state, this.version, results);
          this.state = events.reduce<ServiceBatchState>((s, e) => evolveServiceBatch(s, e), this.state);
          this.version = version;
          break;
        } catch (e) {
          if (!isConcurrencyError(e) || attempt >= 5) throw e;
          const reloaded = await this.executor.reload(this.batchId);
          this.state = reloaded.state;
          this.version = reloaded.version;
        }
      }
      await this.onProgress?.();
    } catch (e) {
      this.error = e;
    }
  }
}
