import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@platform/event-store';
import { CurrentActor, EVENT_STORE, type AuthenticatedActor } from '@platform/service-kit';
import type { Response } from 'express';
import { serviceBatchStreamId } from '../../domain/service-batch.events';
import { ApiProblems, requireBatchId, SERVICE_BATCHES_PATH } from '../../infrastructure/batch-http';
import { ServiceBatchRunner } from '../../infrastructure/service-batch-runner';
import { GetServiceBatchQuery, type LoadedServiceBatch } from '../get-service-batch/get-service-batch.query';
import { toServiceBatchResponse } from '../get-service-batch/service-batch.response';

/** A comment line when nothing was sent for this long (proxies close silent connections). */
const KEEP_ALIVE_MS = 15_000;
/** How often a stream looks at a batch this process does not run (another replica's). */
const POLL_MS = 1_000;

/** One Server-Sent Event: `id` is the batch stream's version, `data` one JSON line. */
export function sseMessage(event: string, id: number, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

@ApiTags('service-batches')
@Controller(SERVICE_BATCHES_PATH)
export class WatchServiceBatchHttpController {
  constructor(
    private readonly query: GetServiceBatchQuery,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ServiceBatchRunner,
  ) {}

  @Get(':id/events')
  @ApiOperation({
    summary: 'A batch edit’s progress as Server-Sent Events, for a progress bar (F13)',
    description:
      'text/event-stream: a `progress` event (data: the same JSON as GET /api/v1/service-batches/{id}) now and after every ' +
      'recorded result, then one `completed` event when the batch completes, and the stream ends. The event id is the ' +
      'number of changes the batch has seen.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'event: progress | completed; data: a ServiceBatchResponse', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiProblems([404, 'SERVICE_BATCH.NOT_FOUND: unknown or another partner’s'])
  async watch(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const batchId = requireBatchId(id);
    // Counted from before the first read, so no recorded result is missed between a read and a wait.
    let notified = 0;
    let wake: (() => void) | undefined;
    const unsubscribe = this.runner.onProgress(batchId, () => {
      notified++;
      wake?.();
    });
    try {
      // Unknown and other partners' batches are answered (404) before the stream opens.
      let seen = notified;
      let current: LoadedServiceBatch = await this.query.execute(actor.partnerId, batchId);

      const closed = new AbortController();
      // The response's close: the client went away (or the stream ended).
      res.on('close', () => {
        closed.abort();
        wake?.();
      });
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache, no-transform');
      res.setHeader('Connection', 'keep-alive');
      res.setHeader('X-Accel-Buffering', 'no');
      res.flushHeaders();

      let sent = -1;
      let lastWrite = Date.now();
      try {
        while (!closed.signal.aborted) {
          if (current.version !== sent) {
            sent = current.version;
            const done = current.batch.status === 'completed';
            res.write(sseMessage(done ? 'completed' : 'progress', current.version, toServiceBatchResponse(batchId, current.batch, current.names)));
            lastWrite = Date.now();
            if (done) break;
          }
          // Woken at once by this process's runner; a batch run elsewhere is looked at every POLL_MS.
          if (notified === seen) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, POLL_MS);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = undefined;
          }
          if (closed.signal.aborted) break;
          seen = notified;
          if ((await this.store.streamVersion(serviceBatchStreamId(batchId))) === current.version) {
            if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
              res.write(': keep-alive\n\n');
              lastWrite = Date.now();
            }
            continue;
          }
          current = await this.query.execute(actor.partnerId, batchId);
        }
      } finally {
        res.end();
      }
    } finally {
      unsubscribe();
    }
  }
}
