import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const EMBEDDED_JWT_SECRET_FILE = 'auth-jwt-secret';

/**
 * The embedded system's token secret when AUTH_JWT_SECRET is not set: generated once (256 random
 * bits) and kept in `${dataDir}/auth-jwt-secret` (mode 0600) so tokens survive restarts and
 * `npm run token` can sign with it.
 */
export function loadOrCreateEmbeddedJwtSecret(dataDir: string): { secret: string; created: boolean } {
  const file = join(dataDir, EMBEDDED_JWT_SECRET_FILE);
  const existing = readEmbeddedJwtSecret(dataDir);
  if (existing) return { secret: existing, created: false };
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    // `wx`: two processes starting on one folder must not overwrite each other's secret.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return { secret, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return { secret: readEmbeddedJwtSecret(dataDir)!, created: false };
  }
}

/** The secret kept in the data folder, if there is one. */
export function readEmbeddedJwtSecret(dataDir: string): string | undefined {
  try {
    const secret = readFileSync(join(dataDir, EMBEDDED_JWT_SECRET_FILE), 'utf8').trim();
    return secret.length >= 32 ? secret : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
