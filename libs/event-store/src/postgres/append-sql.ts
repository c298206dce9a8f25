import type { ClientBase, Pool } from 'pg';
import { streamCategory, type NewEvent } from '../port/event';
import type { ExpectedVersion } from '../port/event-store.port';

/**
 * The one statement an append runs (internal: not exported from the package). The adapter runs
 * it as its own implicit transaction; the ordering tests run it inside a transaction they hold
 * open, step by step. At most one append per transaction: positions are derived from the
 * transaction id, so a second append in the same transaction would collide.
 */
export const MAX_EVENTS_PER_APPEND = 65_535;

export type AppendOutcome =
  | { outcome: 'appended'; version: number; lastPosition: bigint }
  | { outcome: 'duplicate' }
  | { outcome: 'wrong_version'; actualVersion: number };

interface AppendRow {
  o_outcome: 'appended' | 'duplicate' | 'wrong_version';
  o_version: number | null;
  o_position: string | null;
}

/** `any` → null; `no_stream` → 0; a number → itself (validated). */
export function expectedVersionParam(expected: ExpectedVersion): number | null {
  if (expected === 'any') return null;
  if (expected === 'no_stream') return 0;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`expected version must be 'any', 'no_stream' or a non-negative integer, got ${expected}`);
  }
  return expected;
}

/** The batch as one jsonb parameter: a single JSON.stringify, parsed once by the server. */
export function eventsParam(events: readonly NewEvent[]): string {
  return JSON.stringify(
    events.map((e) => ({ id: e.id, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata })),
  );
}

export async function runAppend(
  db: Pool | ClientBase,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
  prepared = true,
): Promise<AppendOutcome> {
  const { rows } = await db.query<AppendRow>({
    name: prepared ? 'event_store_append' : undefined,
    text: 'SELECT o_outcome, o_version, o_position FROM event_store_append($1, $2, $3, $4::jsonb)',
    values: [streamId, streamCategory(streamId), expectedVersionParam(expected), eventsParam(events)],
  });
  const row = rows[0];
  switch (row.o_outcome) {
    case 'appended':
      return { outcome: 'appended', version: row.o_version as number, lastPosition: BigInt(row.o_position as string) };
    case 'duplicate':
      return { outcome: 'duplicate' };
    case 'wrong_version':
      return { outcome: 'wrong_version', actualVersion: row.o_version as number };
  }
}
