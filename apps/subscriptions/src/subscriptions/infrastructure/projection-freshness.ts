import { BadRequestException } from '@nestjs/common';
import { sleep } from '@platform/core';
import type { Pool } from 'pg';

export const MIN_POSITION_HEADER = 'x-min-position';

/** `X-Min-Position` (a write's `X-Log-Position`): absent, or a non-negative integer. */
export function parseMinPosition(value: string | string[] | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const v = Array.isArray(value) ? value[0] : value;
  if (!/^\d{1,19}$/.test(v.trim())) {
    throw new BadRequestException({ code: 'REQUEST.INVALID_MIN_POSITION', message: 'X-Min-Position must be a log position (an integer)' });
  }
  return BigInt(v.trim());
}

/**
 * Read-your-writes: waits, briefly (2 s at most), until the projection's checkpoint covers
 * `position`. Answers whether it does; a read that times out serves what there is.
 */
export async function waitForProjection(pool: Pool, projection: string, position: bigint | undefined, maxWaitMs = 2000): Promise<boolean> {
  if (position === undefined) return true;
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const { rows } = await pool.query<{ position: string }>('SELECT position::text AS position FROM projection_checkpoints WHERE name = $1', [
      projection,
    ]);
    if (rows.length > 0 && BigInt(rows[0].position) >= position) return true;
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
}
