/**
 * `npm run token -- --partner <id> --role <role> [--role <role>…] [--user <id>] [--ttl <seconds>]`
 *
 * Prints a bearer token signed with AUTH_JWT_SECRET, or, when it is not set, with the secret the
 * embedded system keeps in DATA_DIR (./data by default), so tokens work against `npm start`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { uuidv7 } from '@platform/core';
import { PARTNER_ROLES, readEmbeddedJwtSecret, signJwt, type PartnerRole } from '@platform/service-kit';

const USAGE =
  'usage: npm run token -- --partner <partner id> --role <global-admin|admin-agent|auditor> [--role …] [--user <user id>] [--ttl <seconds, default 3600>]';

export interface TokenRequest {
  partnerId: string;
  roles: PartnerRole[];
  userId: string;
  ttlSeconds: number;
}

export class TokenUsageError extends Error {}

export function parseTokenArgs(argv: string[]): TokenRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        partner: { type: 'string' },
        role: { type: 'string', multiple: true },
        user: { type: 'string' },
        ttl: { type: 'string' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new TokenUsageError((e as Error).message);
  }
  if (!values.partner) throw new TokenUsageError('--partner is required');
  const roles = (values.role ?? []).flatMap((r) => r.split(',')).map((r) => r.trim());
  if (roles.length === 0) throw new TokenUsageError('at least one --role is required');
  const unknown = roles.filter((r) => !(PARTNER_ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw new TokenUsageError(`unknown role ${unknown.join(', ')} (known: ${PARTNER_ROLES.join(', ')})`);
  const ttlSeconds = values.ttl === undefined ? 3600 : /^\d+$/.test(values.ttl) ? Number(values.ttl) : NaN;
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) throw new TokenUsageError('--ttl must be a positive number of seconds');
  return { partnerId: values.partner, roles: roles as PartnerRole[], userId: values.user ?? uuidv7(), ttlSeconds };
}

export function signingSecret(env: Record<string, string | undefined>): string {
  const configured = env.AUTH_JWT_SECRET?.trim();
  if (configured) return configured;
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  const embedded = readEmbeddedJwtSecret(dataDir);
  if (!embedded) {
    throw new TokenUsageError(`AUTH_JWT_SECRET is not set and ${dataDir} holds no embedded secret (start the platform once with npm start)`);
  }
  return embedded;
}

function main(): void {
  try {
    const req = parseTokenArgs(process.argv.slice(2));
    const token = signJwt({ sub: req.userId, pid: req.partnerId, roles: req.roles }, signingSecret(process.env), req.ttlSeconds);
    process.stdout.write(`${token}\n`);
  } catch (e) {
    if (!(e instanceof TokenUsageError)) throw e;
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
}

if (require.main === module) main();
