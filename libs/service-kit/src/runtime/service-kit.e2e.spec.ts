import { Body, Controller, Get, Injectable, Module, Post, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { ConflictError, NotFoundError } from '@platform/core';
import { Public } from '../auth/auth.decorators';
import { loadConfig } from '../config/service-config';
import { currentCorrelationId } from '../context/request-context';
import { ReadinessRegistry } from '../health/readiness-registry';
import { ProjectionMonitor } from '../projections/projection-monitor';
import { createServiceApp } from './create-service-app';

class AddressDto {
  @IsString()
  @Length(2, 2)
  country!: string;
}

class CreateThingDto {
  @IsString()
  name!: string;

  @IsInt()
  @Min(1)
  @Max(20)
  seats!: number;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;
}

/** Test-only endpoints exercising the global pipe and filter (public: authentication has its own tests). */
@Public()
@Controller('test-things')
class ThingsController {
  @Post()
  create(@Body() body: CreateThingDto) {
    return { seats: body.seats, typeOfSeats: typeof body.seats, isDto: body instanceof CreateThingDto };
  }

  @Get('correlation')
  correlation() {
    return { correlationId: currentCorrelationId() };
  }

  @Get('missing')
  missing() {
    throw new NotFoundError('THING.NOT_FOUND', 'thing 42 does not exist');
  }

  @Get('conflict')
  conflict() {
    throw new ConflictError('THING.ALREADY_DONE', 'thing 42 is already done');
  }

  @Get('boom')
  boom() {
    throw new Error('password=hunter2 at db.internal:5432');
  }
}

@Injectable()
class TestChecks implements OnModuleInit {
  ready = true;
  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly monitor: ProjectionMonitor,
  ) {}
  onModuleInit() {
    this.registry.add({ name: 'test.dependency', check: async () => ({ ok: this.ready, details: { ready: this.ready } }) });
    this.monitor.add('test', async () => [{ name: 'test.projection', state: 'running', position: 7n, lag: 3, parked: 1 }]);
  }
}

@Module({ controllers: [ThingsController], providers: [TestChecks] })
class TestModule {}

describe('service kit over HTTP', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await createServiceApp({
      config: loadConfig({ LOG_LEVEL: 'silent' }, { mode: 'embedded' }),
      modules: [TestModule],
      openApi: true,
    });
    await app.init();
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  it('transforms a valid body into its DTO', async () => {
    const res = await http.post('/test-things').send({ name: 'a', seats: 3, address: { country: 'IT' } }).expect(201);
    expect(res.body).toEqual({ seats: 3, typeOfSeats: 'number', isDto: true });
  });

  it('answers an invalid body with 400 problem+json listing every failing field', async () => {
    const res = await http
      .post('/test-things')
      .set('X-Correlation-Id', 'corr-1')
      .send({ seats: 99, address: { country: 'ITA' }, extra: true })
      .expect(400)
      .expect('Content-Type', /application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:problem-type:request.invalid',
      title: 'Bad Request',
      status: 400,
      code: 'REQUEST.INVALID',
      instance: '/test-things',
      correlationId: 'corr-1',
    });
    expect(res.body.detail).toBe('The request has 4 invalid fields');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'name must be a string' },
        { field: 'seats', message: 'seats must not be greater than 20' },
        { field: 'address.country', message: 'country must be shorter than or equal to 2 characters' },
        { field: 'extra', message: 'property extra should not exist' },
      ]),
    );
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await http.post('/test-things').set('Content-Type', 'application/json').send('{"name":').expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('HTTP.BAD_REQUEST');
  });

  it('maps domain errors to their status with their code', async () => {
    const missing = await http.get('/test-things/missing').expect(404);
    expect(missing.body).toMatchObject({ code: 'THING.NOT_FOUND', detail: 'thing 42 does not exist', title: 'Not Found' });
    const conflict = await http.get('/test-things/conflict').expect(409);
    expect(conflict.body).toMatchObject({ code: 'THING.ALREADY_DONE', status: 409 });
  });

  it('answers an unexpected error with a bare 500 that leaks nothing', async () => {
    const res = await http.get('/test-things/boom').expect(500);
    expect(res.body).toMatchObject({ status: 500, code: 'INTERNAL.UNEXPECTED', title: 'Internal Server Error' });
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|db\.internal|at /);
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await http.get('/no/such/route?x=1').expect(404).expect('Content-Type', /application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'HTTP.NOT_FOUND', instance: '/no/such/route', status: 404 });
  });

  it('echoes request and correlation ids and exposes the correlation id to handlers', async () => {
    const given = await http.get('/test-things/correlation').set('X-Request-Id', 'req-1').set('X-Correlation-Id', 'corr-9').expect(200);
    expect(given.headers['x-request-id']).toBe('req-1');
    expect(given.headers['x-correlation-id']).toBe('corr-9');
    expect(given.body).toEqual({ correlationId: 'corr-9' });

    const minted = await http.get('/test-things/correlation').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(minted.headers['x-correlation-id']).toBe(minted.headers['x-request-id']);
    expect(minted.body.correlationId).toBe(minted.headers['x-correlation-id']);
  });

  it('answers body parser failures (oversized, malformed) with 4xx problems', async () => {
    const big = await http
      .post('/test-things')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(200_000), seats: 1, address: { country: 'IT' } }))
      .expect(413);
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(big.body).toMatchObject({ status: 413, code: 'REQUEST.TOO_LARGE', instance: '/test-things' });
    const malformed = await http.post('/test-things').set('Content-Type', 'application/json').send('{"name": "unterminated').expect(400);
    expect(malformed.body).toMatchObject({ status: 400, instance: '/test-things' });
  });

  it('reports readiness with projection details, and 503 when a check fails', async () => {
    const ok = await http.get('/health/ready').expect(200);
    expect(ok.body.status).toBe('ok');
    expect(ok.body.details['test.dependency']).toEqual({ status: 'up', ready: true });

    app.get(TestChecks).ready = false;
    const down = await http.get('/health/ready').expect(503);
    expect(down.body.status).toBe('error');
    expect(down.body.error['test.dependency']).toEqual({ status: 'down', ready: false });
    app.get(TestChecks).ready = true;
  });

  it('serves liveness and Prometheus metrics', async () => {
    await http.get('/health/live').expect(200, { status: 'ok' });
    const res = await http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/test-things\/missing".*status_code="404"/);
    expect(res.text).toContain('projection_lag{service="test",projection="test.projection"} 3');
    expect(res.text).toContain('projection_parked_events{service="test",projection="test.projection"} 1');
    expect(res.text).toContain('projection_position{service="test",projection="test.projection"} 7');
  });

  it('documents the API with the problem schema', async () => {
    const res = await http.get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/metrics']));
    expect(res.body.components.schemas.ProblemDetailsDto.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'instance']),
    );
    expect(res.body.paths['/health/live'].get.responses.default).toEqual({ $ref: '#/components/responses/Problem' });
  });
});
