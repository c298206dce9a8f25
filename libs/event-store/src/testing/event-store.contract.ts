import { randomBytes } from 'node:crypto';
import { uuidv7 } from '@platform/core';
import { ConcurrencyError, IdempotencyConflictError } from '../port/errors';
import type { EventMetadata, NewEvent, RecordedEvent } from '../port/event';
import type { EventStore, LogFilter } from '../port/event-store.port';

/** What an adapter cannot promise because its database decides (EventStoreDB's own dedup). */
export interface EventStoreContractLimits {
  /** Default true. EventStoreDB deduplicates ids per stream only. */
  eventIdsUniqueAcrossStreams?: boolean;
  /** Default true. EventStoreDB accepts a retry by id without comparing data. */
  comparesRetriedContent?: boolean;
}

/**
 * The behaviour every EventStore adapter promises. Each adapter's spec file calls this with a
 * setup that gives a store on a fresh, empty log. Tests share one store per file and keep apart
 * by using their own stream categories.
 */
export function eventStoreContract(
  name: string,
  setup: () => Promise<{ store: EventStore; teardown(): Promise<void> }>,
  limits: EventStoreContractLimits = {},
): void {
  const { eventIdsUniqueAcrossStreams = true, comparesRetriedContent = true } = limits;
  describe(`${name}: event store contract`, () => {
    let store: EventStore;
    let teardown: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ store, teardown } = await setup());
    });
    afterAll(async () => {
      await store?.close();
      await teardown?.();
    });

    /** A category no other test uses (categories contain no '-'). */
    const category = (label: string) => `${label}${randomBytes(4).toString('hex')}`;
    const stream = (cat: string) => `${cat}-${uuidv7()}`;

    const metadata = (extra: Partial<EventMetadata> = {}): EventMetadata => ({
      partnerId: 'partner-1',
      occurredAt: '2026-01-02T03:04:05.678Z',
      correlationId: uuidv7(),
      actor: { type: 'user', id: 'user-1' },
      ...extra,
    });
    const event = (type = 'ThingHappened', data: Record<string, unknown> = { n: 1 }): NewEvent => ({
      id: uuidv7(),
      type,
      schemaVersion: 1,
      data,
      metadata: metadata(),
    });
    const events = (n: number, type = 'ThingHappened') => Array.from({ length: n }, (_, i) => event(type, { i }));

    /**
     * Reads the log from `after` until `count` events arrived and the reader reports the end.
     * Some adapters make freshly committed events readable only once older transactions end,
     * so a reader that is caught up waits for appends instead of concluding.
     */
    async function readLog(opts: { after: bigint; filter?: LogFilter; maxCount?: number; count: number }) {
      const seen: RecordedEvent[] = [];
      const positions: bigint[] = [];
      let position = opts.after;
      const deadline = Date.now() + 20_000;
      for (;;) {
        const page = await store.readAll({ after: position, maxCount: opts.maxCount, filter: opts.filter });
        seen.push(...page.events);
        expect(page.position >= position).toBe(true);
        position = page.position;
        positions.push(position);
        if (page.isEnd && seen.length >= opts.count) return { events: seen, position };
        if (Date.now() > deadline) return { events: seen, position };
        if (page.isEnd) await store.waitForAppend(position, 100);
      }
    }

    async function catchUpTo(target: bigint): Promise<void> {
      const deadline = Date.now() + 20_000;
      while ((await store.headPosition()) < target && Date.now() < deadline) await store.waitForAppend(target - 1n, 100);
    }

    describe('expected version', () => {
      it('appends to a new stream with no_stream and numbers the events from 1', async () => {
        const id = stream(category('a'));
        const batch = events(3);
        const result = await store.append(id, batch, { expectedVersion: 'no_stream' });
        expect(result.nextExpectedVersion).toBe(3);
        expect(typeof result.lastGlobalPosition).toBe('bigint');
        const read = await store.readStream(id);
        expect(read.map((e) => e.id)).toEqual(batch.map((e) => e.id));
        expect(read.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
        expect(read.every((e) => e.streamId === id)).toBe(true);
        expect(read[2].globalPosition).toBe(result.lastGlobalPosition);
        expect(read[0].globalPosition < read[1].globalPosition && read[1].globalPosition < read[2].globalPosition).toBe(true);
        expect(await store.streamVersion(id)).toBe(3);
      });

      it('rejects no_stream when the stream has events', async () => {
        const id = stream(category('a'));
        await store.append(id, events(2), { expectedVersion: 'no_stream' });
        const attempt = store.append(id, events(1), { expectedVersion: 'no_stream' });
        await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
        await expect(attempt).rejects.toMatchObject({ streamId: id, actual: 2 });
        expect(await store.streamVersion(id)).toBe(2);
      });

      it('appends at the exact version and rejects a stale one', async () => {
        const id = stream(category('a'));
        expect((await store.append(id, events(1), { expectedVersion: 0 })).nextExpectedVersion).toBe(1);
        expect((await store.append(id, events(2), { expectedVersion: 1 })).nextExpectedVersion).toBe(3);
        const stale = store.append(id, events(1), { expectedVersion: 1 });
        await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
        await expect(stale).rejects.toMatchObject({ expected: '1', actual: 3 });
        const ahead = store.append(id, events(1), { expectedVersion: 4 });
        await expect(ahead).rejects.toMatchObject({ actual: 3 });
        expect((await store.readStream(id)).length).toBe(3);
      });

      it('rejects an exact version on a stream that does not exist', async () => {
        const id = stream(category('a'));
        await expect(store.append(id, events(1), { expectedVersion: 2 })).rejects.toMatchObject({
          name: 'ConcurrencyError',
          actual: 0,
        });
        expect(await store.streamVersion(id)).toBe(0);
      });

      it('appends with any whatever the stream holds', async () => {
        const id = stream(category('a'));
        expect((await store.append(id, events(2), { expectedVersion: 'any' })).nextExpectedVersion).toBe(2);
        expect((await store.append(id, events(1), { expectedVersion: 'any' })).nextExpectedVersion).toBe(3);
        expect((await store.readStream(id)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      });

      it('lets exactly one of concurrent appends at the same version win', async () => {
        const id = stream(category('a'));
        await store.append(id, events(1), { expectedVersion: 'no_stream' });
        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.append(id, events(2), { expectedVersion: 1 })),
        );
        const won = attempts.filter((a) => a.status === 'fulfilled');
        const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost.every((a) => a.reason instanceof ConcurrencyError && a.reason.actual === 3)).toBe(true);
        expect(await store.streamVersion(id)).toBe(3);
      });

      it('lets exactly one of concurrent creations of a stream win', async () => {
        const id = stream(category('a'));
        const attempts = await Promise.allSettled(
          Array.from({ length: 6 }, () => store.append(id, events(1), { expectedVersion: 'no_stream' })),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        expect(await store.streamVersion(id)).toBe(1);
      });
    });

    describe('idempotent appends', () => {
      it('answers a retry exactly like the first append, even when its expected version is stale now', async () => {
        const id = stream(category('i'));
        const first = events(2);
        const answer = await store.append(id, first, { expectedVersion: 'no_stream' });
        await store.append(id, events(1), { expectedVersion: 2 });
        await expect(store.append(id, first, { expectedVersion: 'no_stream' })).resolves.toEqual(answer);
        await expect(store.append(id, first, { expectedVersion: 'any' })).resolves.toEqual(answer);
        expect(await store.streamVersion(id)).toBe(3);
        expect((await store.readStream(id)).map((e) => e.id)).toEqual([...first.map((e) => e.id), expect.any(String)]);
      });

      it('stores concurrent copies of one append once and answers each like the first', async () => {
        const id = stream(category('i'));
        const batch = events(3);
        const answers = await Promise.all(
          Array.from({ length: 6 }, () => store.append(id, batch, { expectedVersion: 'no_stream' })),
        );
        expect(new Set(answers.map((a) => `${a.nextExpectedVersion}/${a.lastGlobalPosition}`)).size).toBe(1);
        expect(answers[0].nextExpectedVersion).toBe(3);
        expect((await store.readStream(id)).map((e) => e.id)).toEqual(batch.map((e) => e.id));
      });

      if (eventIdsUniqueAcrossStreams) it('rejects stored ids appended to another stream', async () => {
        const batch = events(2);
        await store.append(stream(category('i')), batch, { expectedVersion: 'no_stream' });
        const other = stream(category('i'));
        await expect(store.append(other, batch, { expectedVersion: 'any' })).rejects.toBeInstanceOf(
          IdempotencyConflictError,
        );
        expect(await store.streamVersion(other)).toBe(0);
      });

      it('rejects an append that is only partly stored', async () => {
        const id = stream(category('i'));
        const batch = events(2);
        await store.append(id, batch, { expectedVersion: 'no_stream' });
        await expect(store.append(id, [...batch, event()], { expectedVersion: 'any' })).rejects.toBeInstanceOf(
          IdempotencyConflictError,
        );
        await expect(store.append(id, [event(), batch[1]], { expectedVersion: 'any' })).rejects.toBeInstanceOf(
          IdempotencyConflictError,
        );
        expect(await store.streamVersion(id)).toBe(2);
      });

      it('rejects stored ids in another order', async () => {
        const id = stream(category('i'));
        const batch = events(2);
        await store.append(id, batch, { expectedVersion: 'no_stream' });
        await expect(store.append(id, [batch[1], batch[0]], { expectedVersion: 'any' })).rejects.toBeInstanceOf(
          IdempotencyConflictError,
        );
      });

      if (comparesRetriedContent) it('rejects a stored id that comes back with other data', async () => {
        const id = stream(category('i'));
        const e = event('ThingHappened', { n: 1 });
        await store.append(id, [e], { expectedVersion: 'no_stream' });
        await expect(store.append(id, [{ ...e, data: { n: 2 } }], { expectedVersion: 'any' })).rejects.toBeInstanceOf(
          IdempotencyConflictError,
        );
      });

      it('rejects an event id that is not a UUID', async () => {
        const id = stream(category('i'));
        await expect(store.append(id, [{ ...event(), id: 'event-1' }], { expectedVersion: 'any' })).rejects.toThrow();
        expect(await store.streamVersion(id)).toBe(0);
      });

      it('rejects the same id twice in one append', async () => {
        const id = stream(category('i'));
        const e = event();
        await expect(store.append(id, [e, e], { expectedVersion: 'any' })).rejects.toBeInstanceOf(
          IdempotencyConflictError,
        );
        expect(await store.streamVersion(id)).toBe(0);
      });
    });

    describe('readStream', () => {
      it('reads ranges from a version, with a maximum count', async () => {
        const id = stream(category('r'));
        const batch = events(5);
        await store.append(id, batch, { expectedVersion: 'no_stream' });
        expect((await store.readStream(id, { fromVersion: 2 })).map((e) => e.streamVersion)).toEqual([2, 3, 4, 5]);
        expect((await store.readStream(id, { fromVersion: 2, maxCount: 2 })).map((e) => e.id)).toEqual([
          batch[1].id,
          batch[2].id,
        ]);
        expect((await store.readStream(id, { maxCount: 1 })).map((e) => e.streamVersion)).toEqual([1]);
        expect(await store.readStream(id, { fromVersion: 6 })).toEqual([]);
      });

      it('reads an unknown stream as empty at version 0', async () => {
        const id = stream(category('r'));
        expect(await store.readStream(id)).toEqual([]);
        expect(await store.streamVersion(id)).toBe(0);
      });

      it('keeps type, schema version, data and metadata as written', async () => {
        const id = stream(category('r'));
        const e: NewEvent = {
          id: uuidv7(),
          type: 'CustomerInvited',
          schemaVersion: 3,
          data: { name: 'Ada', tags: ['a', 'b'], nested: { ok: true, n: 1.5, none: null } },
          metadata: metadata({
            customerId: 'customer-9',
            causationId: uuidv7(),
            actor: { type: 'service', id: 'billing' },
            requestId: 'req-1',
          }),
        };
        await store.append(id, [e], { expectedVersion: 'no_stream' });
        const [read] = await store.readStream(id);
        expect(read).toMatchObject({
          id: e.id,
          type: e.type,
          schemaVersion: 3,
          data: e.data,
          metadata: e.metadata,
          streamId: id,
          streamVersion: 1,
        });
        expect(read.metadata).toEqual(e.metadata);
        expect(read.recordedAt).toBeInstanceOf(Date);
        expect(typeof read.globalPosition).toBe('bigint');
      });
    });

    describe('readAll', () => {
      it('returns the log in append order with increasing positions, page by page, each event once', async () => {
        const start = await store.headPosition();
        const cat = category('l');
        const written: NewEvent[] = [];
        for (let i = 0; i < 4; i++) {
          const batch = events(i + 1);
          written.push(...batch);
          await store.append(stream(cat), batch, { expectedVersion: 'no_stream' });
        }
        const { events: read } = await readLog({ after: start, maxCount: 3, count: written.length });
        const mine = read.filter((e) => e.streamId.startsWith(`${cat}-`));
        expect(mine.map((e) => e.id)).toEqual(written.map((e) => e.id));
        expect(new Set(read.map((e) => e.id)).size).toBe(read.length);
        for (let i = 1; i < read.length; i++) expect(read[i].globalPosition > read[i - 1].globalPosition).toBe(true);
        expect(read.every((e) => e.globalPosition > start)).toBe(true);
      });

      it('continues from `after` exclusively', async () => {
        const cat = category('l');
        const batch = events(4);
        await store.append(stream(cat), batch, { expectedVersion: 'no_stream' });
        const filter = { categories: [cat] };
        const all = (await readLog({ after: 0n, filter, count: 4 })).events;
        expect(all.map((e) => e.id)).toEqual(batch.map((e) => e.id));
        const rest = await store.readAll({ after: all[1].globalPosition, filter });
        expect(rest.events.map((e) => e.id)).toEqual(batch.slice(2).map((e) => e.id));
        const page = await store.readAll({ after: all[0].globalPosition, filter, maxCount: 2 });
        expect(page.events.map((e) => e.id)).toEqual(batch.slice(1, 3).map((e) => e.id));
        expect(page.isEnd).toBe(false);
        expect(page.position).toBe(all[2].globalPosition);
      });

      it('filters by category and by event type on the store side', async () => {
        const cat = category('f');
        const other = category('f');
        const a1 = event('Opened');
        const b1 = event('Noise');
        const a2 = event('Closed');
        const a3 = event('Noise');
        const o1 = event('Opened');
        await store.append(stream(cat), [a1, b1], { expectedVersion: 'no_stream' });
        await store.append(stream(other), [o1], { expectedVersion: 'no_stream' });
        await store.append(stream(cat), [a2, a3], { expectedVersion: 'no_stream' });

        const byCategory = await readLog({ after: 0n, filter: { categories: [cat] }, count: 4 });
        expect(byCategory.events.map((e) => e.id)).toEqual([a1.id, b1.id, a2.id, a3.id]);

        const both = await readLog({ after: 0n, filter: { categories: [cat, other, cat] }, count: 5 });
        expect(both.events.map((e) => e.id)).toEqual([a1.id, b1.id, o1.id, a2.id, a3.id]);

        const byTypeAndCategory = await readLog({
          after: 0n,
          filter: { categories: [cat, other], eventTypes: ['Opened', 'Closed'] },
          count: 3,
        });
        expect(byTypeAndCategory.events.map((e) => e.id)).toEqual([a1.id, o1.id, a2.id]);

        const typeName = `Rare${randomBytes(3).toString('hex')}`;
        const rare = event(typeName);
        await store.append(stream(cat), [rare], { expectedVersion: 'no_stream' });
        const byType = await readLog({ after: 0n, filter: { eventTypes: [typeName] }, count: 1 });
        expect(byType.events.map((e) => e.id)).toEqual([rare.id]);
      });

      it('moves a filtered reader past events it skipped, without skipping later matches', async () => {
        const cat = category('p');
        const noise = category('p');
        const match1 = event();
        await store.append(stream(cat), [match1], { expectedVersion: 'no_stream' });
        const noiseResult = await store.append(stream(noise), events(5), { expectedVersion: 'no_stream' });
        await catchUpTo(noiseResult.lastGlobalPosition);
        const filter = { categories: [cat] };
        const first = await readLog({ after: 0n, filter, maxCount: 10, count: 1 });
        expect(first.events.map((e) => e.id)).toEqual([match1.id]);
        expect(first.position >= noiseResult.lastGlobalPosition).toBe(true);

        const match2 = event();
        await store.append(stream(cat), [match2], { expectedVersion: 'no_stream' });
        const second = await readLog({ after: first.position, filter, count: 1 });
        expect(second.events.map((e) => e.id)).toEqual([match2.id]);
        const again = await store.readAll({ after: second.position, filter });
        expect(again.events).toEqual([]);
        expect(again.isEnd).toBe(true);
      });

      it('pages a filtered log one event at a time without duplicates or gaps', async () => {
        const cat = category('g');
        const noise = category('g');
        const mine: NewEvent[] = [];
        for (let i = 0; i < 5; i++) {
          const batch = events(2);
          mine.push(...batch);
          await store.append(stream(cat), batch, { expectedVersion: 'no_stream' });
          await store.append(stream(noise), events(2), { expectedVersion: 'no_stream' });
        }
        const read = await readLog({ after: 0n, filter: { categories: [cat] }, maxCount: 1, count: mine.length });
        expect(read.events.map((e) => e.id)).toEqual(mine.map((e) => e.id));
      });

      it('reads past the end as empty and caught up', async () => {
        const head = await store.headPosition();
        const page = await store.readAll({ after: head + (1n << 60n) });
        expect(page.events).toEqual([]);
        expect(page.isEnd).toBe(true);
        expect(page.position >= head + (1n << 60n)).toBe(true);
      });

      it('reports a head position that covers what was appended', async () => {
        const result = await store.append(stream(category('h')), events(2), { expectedVersion: 'no_stream' });
        await catchUpTo(result.lastGlobalPosition);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.lastGlobalPosition);
      });
    });

    describe('waitForAppend', () => {
      it('wakes up when an event is appended after the position', async () => {
        const head = await store.headPosition();
        // A wait far longer than the test's own timeout: only the append can finish it.
        const waiting = store.waitForAppend(head, 10 * 60_000);
        await new Promise((r) => setTimeout(r, 50));
        await store.append(stream(category('w')), events(1), { expectedVersion: 'no_stream' });
        await waiting;
      }, 15_000);

      it('returns at once when there is already something after the position', async () => {
        const result = await store.append(stream(category('w')), events(2), { expectedVersion: 'no_stream' });
        await catchUpTo(result.lastGlobalPosition);
        await store.waitForAppend(result.lastGlobalPosition - 1n, 10 * 60_000);
      }, 15_000);

      it('returns when the signal aborts', async () => {
        const controller = new AbortController();
        const waiting = store.waitForAppend((await store.headPosition()) + (1n << 60n), 10 * 60_000, controller.signal);
        controller.abort();
        await waiting;
      }, 15_000);
    });
  });
}
