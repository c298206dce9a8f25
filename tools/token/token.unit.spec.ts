import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateEmbeddedJwtSecret, verifyJwt } from '@platform/service-kit';
import { parseTokenArgs, signingSecret, TokenUsageError } from './token';

describe('npm run token', () => {
  it('parses partner, roles, user and lifetime', () => {
    expect(parseTokenArgs(['--partner', 'p-1', '--role', 'auditor', '--role', 'admin-agent', '--user', 'u-1', '--ttl', '60'])).toEqual({
      partnerId: 'p-1',
      roles: ['auditor', 'admin-agent'],
      userId: 'u-1',
      ttlSeconds: 60,
    });
    const defaults = parseTokenArgs(['--partner', 'p-1', '--role', 'global-admin,auditor']);
    expect(defaults).toMatchObject({ roles: ['global-admin', 'auditor'], ttlSeconds: 3600 });
    expect(defaults.userId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    [['--role', 'auditor'], '--partner is required'],
    [['--partner', 'p'], 'at least one --role is required'],
    [['--partner', 'p', '--role', 'root'], 'unknown role root (known: global-admin, admin-agent, auditor)'],
    [['--partner', 'p', '--role', 'auditor', '--ttl', 'soon'], '--ttl must be a positive number of seconds'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseTokenArgs(argv)).toThrow(new TokenUsageError(message));
    expect(() => parseTokenArgs(['--bogus'])).toThrow(TokenUsageError);
  });

  it('signs with AUTH_JWT_SECRET, else with the embedded secret of DATA_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'token-'));
    try {
      expect(signingSecret({ AUTH_JWT_SECRET: 'c'.repeat(32), DATA_DIR: dir })).toBe('c'.repeat(32));
      expect(() => signingSecret({ DATA_DIR: dir })).toThrow(/holds no embedded secret/);
      const { secret, created } = loadOrCreateEmbeddedJwtSecret(dir);
      expect(created).toBe(true);
      expect(loadOrCreateEmbeddedJwtSecret(dir)).toEqual({ secret, created: false });
      expect(signingSecret({ DATA_DIR: dir })).toBe(secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints a token the platform accepts', () => {
    const { execFileSync } = jest.requireActual<typeof import('node:child_process')>('node:child_process');
    const out = execFileSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, 'token.ts'), '--partner', 'p-9', '--role', 'auditor', '--user', 'u-9'],
      { env: { ...process.env, AUTH_JWT_SECRET: 'd'.repeat(40) }, encoding: 'utf8' },
    ).trim();
    expect(verifyJwt(out, 'd'.repeat(40))).toEqual({ userId: 'u-9', partnerId: 'p-9', roles: ['auditor'] });
  });
});
