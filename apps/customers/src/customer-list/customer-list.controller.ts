import { Controller, Get, Inject, Param, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, setEntityTag, type AuthenticatedActor } from '@platform/service-kit';
import { CustomerHistoryQueries, parseAsOf } from './customer-history.queries';
import {
  CustomerListPageDto,
  CustomerViewDto,
  GetCustomerQueryDto,
  HistoryPageDto,
  HistoryQueryDto,
  ListCustomersQueryDto,
  ColumnPreferencesDto,
  MinPositionQueryDto,
  PinnedCustomersDto,
} from './customer-list.dto';
import { CustomerListQueries } from './customer-list.queries';
import { CustomerListRegistration } from './customer-list.registration';
import { ListResponseCache } from './list-response-cache';
import { LIST_RESPONSE_CACHE } from './list-response-cache.middleware';
import { ReadYourWritesInterceptor, STALE_HEADER } from './read-your-writes.interceptor';

const DEFAULT_LIMIT = 50;

const STALE_HEADER_DOC = {
  description: '"true" when X-Min-Position was not reached in time: the answer may predate that write',
  schema: { type: 'string' as const, enum: ['true'] },
};

const MinPositionHeader = () =>
  ApiHeader({
    name: 'X-Min-Position',
    required: false,
    description:
      'Read-your-writes: the X-Log-Position of a write. The answer waits (up to 2 s) for the read model to cover it; ' +
      'if it cannot, it answers anyway with X-Read-Model-Stale: true.',
  });

/** F9 list, one customer (F19 `asOf`), history (F19). Every route is scoped to the caller's partner. */
@ApiTags('customers')
@Controller('api/v1/customers')
@UseInterceptors(ReadYourWritesInterceptor)
export class CustomerListController {
  constructor(
    private readonly queries: CustomerListQueries,
    private readonly history: CustomerHistoryQueries,
    private readonly registration: CustomerListRegistration,
    @Inject(LIST_RESPONSE_CACHE) private readonly responses: ListResponseCache,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List customers (F9)',
    description:
      'Search by part of the name or primary domain (case- and accent-insensitive); repeat a filter for OR, filters combine with AND. Keyset paging: pass nextCursor back as cursor.',
  })
  @MinPositionHeader()
  @ApiOkResponse({ type: CustomerListPageDto, headers: { 'X-Read-Model-Stale': STALE_HEADER_DOC } })
  async list(
    @CurrentActor() actor: AuthenticatedActor,
    @Query() q: ListCustomersQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    // The position is read before the query: the answer is at least that new (see ListResponseCache).
    const position = this.registration.authoritativePosition();
    const page = await this.queries.list({
      partnerId: actor.partnerId,
      userId: actor.userId,
      search: q.search,
      status: q.status,
      country: q.country,
      tag: q.tag,
      service: q.service,
      product: q.product,
      hasOpenTickets: q.hasOpenTickets,
      sort: q.sort ?? 'name',
      limit: q.limit ?? DEFAULT_LIMIT,
      cursor: q.cursor,
    });
    const body = Buffer.from(JSON.stringify(page));
    const key = ListResponseCache.key(req.headers, req.originalUrl);
    if (key !== undefined && res.getHeader(STALE_HEADER) === undefined) this.responses.set(position, key, body);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.status(200).end(body);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One customer; with asOf, as it was at that time (F19)',
    description: 'From the read model, with ETag W/"<version>". With asOf the customer is rebuilt from its stream (no ETag).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @MinPositionHeader()
  @ApiOkResponse({
    type: CustomerViewDto,
    headers: {
      ETag: { description: 'W/"<stream version>" (not set with asOf); send as If-Match on writes', schema: { type: 'string' } },
      'X-Read-Model-Stale': STALE_HEADER_DOC,
    },
  })
  async get(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query() q: GetCustomerQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerViewDto> {
    if (q.asOf !== undefined) {
      const at = parseAsOf(q.asOf);
      const pinned = await this.queries.isPinned(actor.partnerId, actor.userId, id);
      return this.history.asOf(actor, id, at, pinned);
    }
    const view = await this.queries.get(actor.partnerId, actor.userId, id);
    setEntityTag(res, view.version);
    return view;
  }

  @Get(':id/history')
  @ApiOperation({
    summary: "The customer's history (F19)",
    description:
      'Events oldest first with who, when and correlation. After a disconnect, personal fields read as null (personalDataErased) and only auditors and global-admins may read it.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: HistoryPageDto })
  historyOf(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query() q: HistoryQueryDto,
  ): Promise<HistoryPageDto> {
    return this.history.history(actor, id, q.limit ?? DEFAULT_LIMIT, q.cursor);
  }
}

/** The caller's own views: pinned customers (F4) and list columns (F9). */
@ApiTags('me')
@Controller('api/v1/me')
@UseInterceptors(ReadYourWritesInterceptor)
export class MyCustomerViewsController {
  constructor(private readonly queries: CustomerListQueries) {}

  @Get('pinned-customers')
  @ApiOperation({ summary: 'Customers pinned by the caller (F4), most recent pin first' })
  @MinPositionHeader()
  @ApiOkResponse({ type: PinnedCustomersDto })
  pinned(@CurrentActor() actor: AuthenticatedActor, @Query() _q: MinPositionQueryDto): Promise<PinnedCustomersDto> {
    return this.queries.pinned(actor.partnerId, actor.userId);
  }

  @Get('preferences')
  @ApiOperation({ summary: "The caller's customer-list columns (F9); the defaults until saved" })
  @MinPositionHeader()
  @ApiOkResponse({ type: ColumnPreferencesDto })
  preferences(@CurrentActor() actor: AuthenticatedActor, @Query() _q: MinPositionQueryDto): Promise<ColumnPreferencesDto> {
    return this.queries.preferences(actor.partnerId, actor.userId);
  }
}
