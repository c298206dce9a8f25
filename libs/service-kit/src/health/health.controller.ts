import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { ReadinessRegistry, type ReadinessCheckResult } from './readiness-registry';

const CHECK_TIMEOUT_MS = 3000;

async function withTimeout(run: () => Promise<ReadinessCheckResult>): Promise<ReadinessCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessCheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, details: { reason: `no answer within ${CHECK_TIMEOUT_MS} ms` } }), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      run().catch((e: unknown) => ({ ok: false, details: { reason: e instanceof Error ? e.message : String(e) } })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const HEALTH_BODY = {
  schema: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['ok', 'error'] },
      info: { type: 'object', additionalProperties: true },
      error: { type: 'object', additionalProperties: true },
      details: {
        type: 'object',
        additionalProperties: true,
        description: 'One entry per check (`<service>.database`, `<service>.migrations`, `<service>.projections` with position, lag and parked per projection, `kafka.producer`).',
      },
    },
  },
};

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: ReadinessRegistry,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: database reachable, migrations applied, Kafka producer connected, projections not stuck',
  })
  @ApiOkResponse({ description: 'Ready', ...HEALTH_BODY })
  @ApiServiceUnavailableResponse({ description: 'Not ready; the failing checks are under `error`', ...HEALTH_BODY })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    const checks = this.registry.all().map((c) => async () => {
      const result = await withTimeout(() => c.check());
      const indicator = this.indicators.check(c.name);
      return result.ok ? indicator.up(result.details) : indicator.down(result.details);
    });
    try {
      return await this.health.check(checks);
    } catch (e) {
      // Terminus answers "not ready" with an exception; the body is the report, not a problem document.
      if (e instanceof ServiceUnavailableException) {
        res.status(HttpStatus.SERVICE_UNAVAILABLE);
        return e.getResponse() as HealthCheckResult;
      }
      throw e;
    }
  }
}
