import { Controller, Get, Logger, Module, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { signJwt } from '../auth/jwt';
import { loadConfig } from '../config/service-config';
import { createServiceApp } from '../runtime/create-service-app';
import { loggableUrl } from './logging.module';

@Controller('test-logging')
class LoggingTestController {
  private readonly logger = new Logger('LoggingTest');

  @Get()
  handle() {
    this.logger.log({ customer: { contactEmail: 'ada@example.com', name: 'Ada Ltd' } }, 'inviting customer');
    return { ok: true };
  }
}

@Module({ controllers: [LoggingTestController] })
class LoggingTestModule {}

const SECRET = 'logging-test-secret-of-at-least-32-chars';
const token = signJwt({ sub: 'user-7', pid: 'partner-3', roles: ['auditor'] }, SECRET, 600);

describe('structured request logs', () => {
  let app: INestApplication;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    app = await createServiceApp({
      config: loadConfig({ LOG_LEVEL: 'info', AUTH_JWT_SECRET: SECRET }, { mode: 'embedded' }),
      modules: [LoggingTestModule],
      logDestination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    await app.init();
  });
  afterAll(() => app.close());

  it('writes JSON lines carrying the request and correlation ids, with secrets and personal data redacted', async () => {
    await request(app.getHttpServer())
      .get('/test-logging')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Request-Id', 'req-42')
      .set('X-Correlation-Id', 'corr-42')
      .expect(200);

    const ofRequest = lines.filter((l) => l.requestId === 'req-42');
    expect(ofRequest.map((l) => l.msg)).toEqual(['inviting customer', 'request completed']);
    for (const line of ofRequest) expect(line).toMatchObject({ correlationId: 'corr-42', service: 'all' });
    // Lines logged after authentication name the caller.
    expect(ofRequest[0]).toMatchObject({ userId: 'user-7', partnerId: 'partner-3' });
    expect(ofRequest[0]).not.toHaveProperty('req');
    expect(ofRequest[0]).toMatchObject({ context: 'LoggingTest', customer: { contactEmail: '[redacted]', name: 'Ada Ltd' } });
    expect(ofRequest[1]).toMatchObject({ req: { headers: { authorization: '[redacted]' } }, res: { statusCode: 200 } });
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(JSON.stringify(lines)).not.toContain('ada@example.com');
  });

  it('does not log health probes and scrapes', async () => {
    const before = lines.length;
    await request(app.getHttpServer()).get('/health/live').set('X-Request-Id', 'probe-1').expect(200);
    expect(lines.slice(before).filter((l) => l.requestId === 'probe-1')).toEqual([]);
  });
});

describe('loggableUrl', () => {
  it('hides the secrets that travel in URLs', () => {
    expect(loggableUrl('/api/v1/invitations/eyJ.abc.def:accept')).toBe('/api/v1/invitations/[redacted]:accept');
    expect(loggableUrl('/api/v1/email-verifications/tok123:confirm')).toBe('/api/v1/email-verifications/[redacted]:confirm');
    expect(loggableUrl('/api/v1/reports/r1/download?expires=1&sig=abc&x=1')).toBe('/api/v1/reports/r1/download?expires=1&sig=[redacted]&x=1');
    expect(loggableUrl('/api/v1/customers?search=acme')).toBe('/api/v1/customers?search=acme');
  });
});
