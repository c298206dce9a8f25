import type { Pool } from 'pg';
import { sleep } from '@platform/core';

export interface FreshnessOptions {
  /** Longest wait for the projection (default 2000 ms). */
  maxWaitMs?: number;
  /** Between looks at the runner in this process (default 5 ms). */
  pollMs?: number;
  /** Between reads of the checkpoint row, for a runner holding the lease in another process (default 50 ms). */
  checkpointPollMs?: number;
}

/**
 * Read-your-writes (F9): a client sends back the `X-Log-Position` of its write, and the read
 * waits, briefly, until the customer-list projection has applied the log up to there.
 * The local runner's position is free to look at; the checkpoint row is read less often, for
 * deployments where another process holds the projection's lease.
 */
export class ReadModelFreshness {
  private readonly maxWaitMs: number;
  private readonly pollMs: number;
  private readonly checkpointPollMs: number;

  constructor(
    private readonly pool: Pool,
    private readonly projectionName: string,
    /** Position of this process's runner of the projection, when it has one. */
    private readonly localPosition: () => bigint | undefined,
    options: FreshnessOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 2000;
    this.pollMs = options.pollMs ?? 5;
    this.checkpointPollMs = options.checkpointPollMs ?? 50;
  }

  /** True once the read model covers `position`; false when `maxWaitMs` passed first. */
  async waitFor(position: bigint): Promise<boolean> {
    if (this.covers(position)) return true;
    const deadline = Date.now() + this.maxWaitMs;
    let nextCheckpointRead = 0;
    for (;;) {
      const now = Date.now();
      if (now >= nextCheckpointRead) {
        nextCheckpointRead = now + this.checkpointPollMs;
        if (await this.readCheckpoint(position)) return true;
      }
      if (this.covers(position)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(this.pollMs, Math.max(1, deadline - Date.now())));
    }
  }

  private covers(position: bigint): boolean {
    const local = this.localPosition();
    return local !== undefined && local >= position;
  }

  private async readCheckpoint(position: bigint): Promise<boolean> {
    const { rows } = await this.pool.query<{ position: string }>(
      'SELECT position::text AS position FROM projection_checkpoints WHERE name = $1',
      [this.projectionName],
    );
    return rows.length > 0 && BigInt(rows[0].position) >= position;
  }
}
