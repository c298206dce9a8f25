import { FakeClock, NotFoundError, uuidv7 } from '@platform/core';
import { InMemoryEventStore } from '@platform/event-store';
import type { SubscriptionBatchEditInput, SubscriptionBatchEditResult, SubscriptionBatchTarget } from '../../subscriptions/subscription-batch-target';
import { batchCounts, decideServiceBatch, type ServiceBatch } from '../domain/service-batch.decider';
import { serviceBatchStreamId } from '../domain/service-batch.events';
import { BatchExecutor } from './batch-executor';
import { loadBatch, toNewEvents } from './batch-streams';

const PARTNER = '0192e5f0-0000-7000-8000-0000000000a1';
const USER = '0192e5f0-0000-7000-8000-0000000000c1';
const customers = (n: number) => Array.from({ length: n }, (_, i) => `0192e5f0-0000-7000-8000-${String(i + 1).padStart(12, '0')}`);

/** Idempotent per (batchId, customerId) like the real one; counts the edits it really makes. */
class FakeTarget implements SubscriptionBatchTarget {
  readonly calls: SubscriptionBatchEditInput[] = [];
  readonly edits = new Map<string, number>();
  readonly failing = new Map<string, string>();
  readonly throwing = new Map<string, () => Error>();
  /** Resolves the edit of these customers only when released. */
  readonly blocked = new Map<string, Promise<void>>();

  async applyBatchEdit(input: SubscriptionBatchEditInput): Promise<SubscriptionBatchEditResult> {
    this.calls.push(input);
    await this.blocked.get(input.customerId);
    const thrown = this.throwing.get(input.customerId);
    if (thrown) throw thrown();
    const reason = this.failing.get(input.customerId);
    if (reason) return { outcome: 'failed', reason };
    const key = `${input.batchId}:${input.customerId}`;
    if (!this.edits.has(key)) this.edits.set(key, 1);
    return { outcome: 'succeeded', subscriptionId: `sub-${input.customerId.slice(-2)}` };
  }

  callsFor(customerId: string): number {
    return this.calls.filter((c) => c.customerId === customerId).length;
  }
}

describe('BatchExecutor, the F13 process manager (in-memory store, fake subscriptions side)', () => {
  let store: InMemoryEventStore;
  let target: FakeTarget;
  const clock = new FakeClock();

  const startBatch = async (customerIds: string[]): Promise<string> => {
    const batchId = uuidv7();
    const decision = decideServiceBatch(
      { type: 'StartServiceBatch', data: { serviceCode: 'cloud-backup-m365', changes: { quantity: 50 }, customerIds } },
      { status: 'none' },
    );
    if (!decision.ok) throw decision.error;
    const metadata = { partnerId: PARTNER, occurredAt: clock.now().toISOString(), correlationId: 'corr', actor: { type: 'user' as const, id: USER } };
    await store.append(serviceBatchStreamId(batchId), toNewEvents(decision.value, () => metadata, () => uuidv7()), { expectedVersion: 'no_stream' });
    return batchId;
  };
  const batch = async (batchId: string) => (await loadBatch(store, batchId)).state as ServiceBatch;
  const types = async (batchId: string) => (await store.readStream(serviceBatchStreamId(batchId))).map((e) => e.type);

  beforeEach(() => {
    store = new InMemoryEventStore();
    target = new FakeTarget();
  });

  it('edits every customer once, records one result each and completes the batch', async () => {
    const ids = customers(20);
    const batchId = await startBatch(ids);
    expect(await new BatchExecutor(store, target, clock, { concurrency: 5 }).run(batchId)).toBe('completed');

    expect(ids.map((id) => target.callsFor(id))).toEqual(ids.map(() => 1));
    const b = await batch(batchId);
    expect(b.status).toBe('completed');
    expect(batchCounts(b)).toEqual({ total: 20, done: 20, pending: 0, succeeded: 20, failed: 0, skipped: 0 });
    const recorded = await types(batchId);
    expect(recorded[0]).toBe('ServiceBatchStarted');
    expect(recorded.at(-1)).toBe('ServiceBatchCompleted');
    expect(recorded.filter((t) => t === 'ServiceBatchCustomerSucceeded')).toHaveLength(20);
    expect(recorded).toHaveLength(22);
    // The edits carry the batch, the partner, the customer and the user who started it.
    expect(target.calls[0]).toMatchObject({
      batchId,
      partnerId: PARTNER,
      customerId: ids[0],
      serviceCode: 'cloud-backup-m365',
      changes: { quantity: 50 },
      metadata: { partnerId: PARTNER, customerId: ids[0], correlationId: 'corr', actor: { type: 'user', id: USER }, batchId },
    });
  });

  it('records failures with their reason: answered, thrown with a code, and unexpected errors after retries', async () => {
    const [ok, refused, coded, broken] = customers(4);
    target.failing.set(refused, 'SUBSCRIPTION.NOT_FOUND');
    target.throwing.set(coded, () => new NotFoundError('CUSTOMER.NOT_FOUND', 'nope'));
    target.throwing.set(broken, () => new Error('connection reset'));
    const batchId = await startBatch([ok, refused, coded, broken]);
    await new BatchExecutor(store, target, clock, { retryDelayMs: 1, editAttempts: 3 }).run(batchId);

    const b = await batch(batchId);
    expect([ok, refused, coded, broken].map((id) => [b.results[id].outcome, b.results[id].reason])).toEqual([
      ['succeeded', null],
      ['failed', 'SUBSCRIPTION.NOT_FOUND'],
      ['failed', 'CUSTOMER.NOT_FOUND'],
      ['failed', 'SERVICE_BATCH.EDIT_ERROR'],
    ]);
    expect(target.callsFor(broken)).toBe(3);
    expect(target.callsFor(coded)).toBe(1);
  });

  it('resumes after a crash between the edits and their recording without editing anyone twice', async () => {
    const ids = customers(12);
    const batchId = await startBatch(ids);
    const append = store.append.bind(store);
    let appends = 0;
    const spy = jest.spyOn(store, 'append').mockImplementation(async (streamId, events, options) => {
      // The second recording never reaches the log: the process "dies" there.
      if (streamId === serviceBatchStreamId(batchId) && ++appends === 2) throw new Error('process crashed');
      return append(streamId, events, options);
    });
    await expect(new BatchExecutor(store, target, clock, { concurrency: 4 }).run(batchId)).rejects.toThrow('process crashed');
    spy.mockRestore();
    const before = await batch(batchId);
    const recorded = ids.filter((id) => before.results[id].outcome !== 'pending');
    const editedNotRecorded = ids.filter((id) => before.results[id].outcome === 'pending' && target.callsFor(id) > 0);
    expect(recorded.length).toBeGreaterThan(0);
    expect(editedNotRecorded.length).toBeGreaterThan(0);

    // A new process picks the batch up from its stream.
    expect(await new BatchExecutor(store, target, clock, { concurrency: 4 }).run(batchId)).toBe('completed');
    // Recorded customers were never asked again; edited but unrecorded ones were asked again and
    // the idempotent target did not edit them a second time.
    for (const id of ids) expect([id, target.callsFor(id)]).toEqual([id, editedNotRecorded.includes(id) ? 2 : 1]);
    expect([...target.edits.values()]).toEqual(ids.map(() => 1));
    const succeeded = (await store.readStream(serviceBatchStreamId(batchId))).filter((e) => e.type === 'ServiceBatchCustomerSucceeded');
    expect(succeeded.map((e) => e.data.customerId).sort()).toEqual([...ids].sort());
  });

  it('stops when told to, recording the edits in flight and leaving the rest pending for the next run', async () => {
    const ids = customers(10);
    const batchId = await startBatch(ids);
    const stop = new AbortController();
    const outcome = await new BatchExecutor(store, target, clock, { concurrency: 3 }).run(batchId, stop.signal, async () => stop.abort());
    expect(outcome).toBe('stopped');
    const counts = batchCounts(await batch(batchId));
    expect(counts.done).toBeGreaterThan(0);
    expect(counts.pending).toBeGreaterThan(0);
    expect(ids.filter((id) => target.callsFor(id) > 0)).toHaveLength(counts.done);

    expect(await new BatchExecutor(store, target, clock, { concurrency: 3 }).run(batchId)).toBe('completed');
    expect(ids.map((id) => target.callsFor(id))).toEqual(ids.map(() => 1));
  });

  it('a stop during an edit that keeps failing leaves that customer pending instead of failing it', async () => {
    const [slow] = customers(1);
    target.throwing.set(slow, () => new Error('database restarting'));
    const batchId = await startBatch([slow]);
    const stop = new AbortController();
    const run = new BatchExecutor(store, target, clock, { retryDelayMs: 50 }).run(batchId, stop.signal);
    await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    expect(await run).toBe('stopped');
    expect((await batch(batchId)).results[slow].outcome).toBe('pending');
  });

  it('two runners on one batch (an expired lease) still record each customer once', async () => {
    const ids = customers(6);
    const batchId = await startBatch(ids);
    const outcomes = await Promise.all([
      new BatchExecutor(store, target, clock, { concurrency: 2 }).run(batchId),
      new BatchExecutor(store, target, clock, { concurrency: 2 }).run(batchId),
    ]);
    expect(outcomes).toEqual(['completed', 'completed']);
    expect([...target.edits.values()]).toEqual(ids.map(() => 1));
    expect((await types(batchId)).filter((t) => t === 'ServiceBatchCustomerSucceeded')).toHaveLength(6);
    expect((await types(batchId)).filter((t) => t === 'ServiceBatchCompleted')).toHaveLength(1);
  });

  it('a retry runs only the failed customers again', async () => {
    const [good, bad] = customers(2);
    target.failing.set(bad, 'SUBSCRIPTION.EXPIRED');
    const batchId = await startBatch([good, bad]);
    await new BatchExecutor(store, target, clock).run(batchId);
    target.failing.delete(bad);

    const loaded = await loadBatch(store, batchId);
    const retry = decideServiceBatch({ type: 'RetryFailedCustomers', data: { partnerId: PARTNER } }, loaded.state);
    if (!retry.ok) throw retry.error;
    const metadata = { partnerId: PARTNER, occurredAt: clock.now().toISOString(), correlationId: 'corr-2', actor: { type: 'user' as const, id: 'retrier' } };
    await store.append(serviceBatchStreamId(batchId), toNewEvents(retry.value, () => metadata, () => uuidv7()), { expectedVersion: loaded.version });
    expect(await new BatchExecutor(store, target, clock).run(batchId)).toBe('completed');

    expect([target.callsFor(good), target.callsFor(bad)]).toEqual([1, 2]);
    expect(target.calls.at(-1)?.metadata).toMatchObject({ correlationId: 'corr-2', actor: { type: 'user', id: 'retrier' } });
    const b = await batch(batchId);
    expect(b).toMatchObject({ status: 'completed', attempt: 2 });
    expect(b.results[bad]).toMatchObject({ outcome: 'succeeded', attempts: 2 });
  });

  it('reports an unknown batch as such', async () => {
    expect(await new BatchExecutor(store, target, clock).run(uuidv7())).toBe('unknown');
  });
});
