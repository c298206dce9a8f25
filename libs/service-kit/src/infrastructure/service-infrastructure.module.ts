import {
  Inject,
  Injectable,
  Optional,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { Pool } from 'pg';
import type { IntegrationEventType, ProducerService, Topic } from '@platform/contracts';
import {
  CachedDataKeyStore,
  EventStoreDBEventStore,
  migrateDataKeys,
  migrateEventStore,
  migrateProjections,
  PersonalDataPolicy,
  PostgresDataKeyStore,
  PostgresEventStore,
  productPersonalData,
  ProjectionRegistry,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  ProtectedEventStore,
  type EventStore,
  type PersonalDataMap,
  type Projection,
  type ProjectionLogger,
} from '@platform/event-store';
import { IntegrationEventRelay, RELAY_RUNNER_OPTIONS, migrateInbox, type InboxEffect, type InboxHandler, type IntegrationEventMapper } from '@platform/messaging';
import type { ServiceConfig, ServiceName } from '../config/service-config';
import { ReadinessRegistry } from '../health/readiness-registry';
import { ProjectionMonitor } from '../projections/projection-monitor';
import { SERVICE_CONFIG } from '../runtime/tokens';
import { contractEventMapper } from './integration-event-mapper';
import type { InboxConsumer, MessageTransport } from './message-transport';
import { EVENT_STORE, MESSAGE_TRANSPORT, PG_POOL, PROJECTION_REGISTRY } from './tokens';

export interface ServiceInfrastructureOptions {
  service: ServiceName;
  /**
   * Event sourcing: the event store (and its migrations: events, projections, data keys,
   * inbox, in-process topics) and projection runners. Off for the gateway, which only needs
   * its database.
   */
  eventSourcing?: boolean;
  /** Publish this service's integration events from these stream categories (a relay projection). */
  relay?: {
    producer: ProducerService;
    categories: string[];
    /** Default: `contractEventMapper(producer)`. */
    map?: IntegrationEventMapper;
  };
  /** Inbox consumers of other services' integration events (feature modules may add more through `ServiceConsumers`). */
  consumers?: ServiceConsumerRegistration[];
  /** Personal data of this service's events, beyond the product-wide map. */
  personalData?: PersonalDataMap;
}

/** One inbox consumer: its group (also the inbox's dedup scope), the topics it reads, its reaction. */
export interface ServiceConsumerRegistration {
  groupId: string;
  topics: Topic[];
  /** Writes in the inbox transaction (exactly once). */
  handler?: InboxHandler;
  /** Effects that cannot join it (event store appends): idempotent, run before it (see InboxEffect). */
  beforeTransaction?: InboxEffect;
  /** The event types the handler and effect react to; others cost no transaction. Default: all. */
  eventTypes?: readonly IntegrationEventType[];
}

const SERVICE_OPTIONS = Symbol('SERVICE_INFRASTRUCTURE_OPTIONS');

/**
 * Where feature modules add inbox consumers whose handlers need injected collaborators
 * (call `add` in `onModuleInit`); they start with the service's runtime on bootstrap.
 */
@Injectable()
export class ServiceConsumers {
  private readonly registrations: ServiceConsumerRegistration[] = [];

  constructor(@Inject(SERVICE_OPTIONS) options: ServiceInfrastructureOptions) {
    this.registrations.push(...(options.consumers ?? []));
  }

  add(registration: ServiceConsumerRegistration): void {
    if (this.registrations.some((r) => r.groupId === registration.groupId)) {
      throw new Error(`inbox consumer group ${registration.groupId} is registered twice`);
    }
    this.registrations.push(registration);
  }

  all(): readonly ServiceConsumerRegistration[] {
    return this.registrations;
  }
}

function projectionLogger(): ProjectionLogger {
  const logger = new Logger('Projections');
  return {
    info: (message, context) => logger.log(context ?? {}, message),
    warn: (message, context) => logger.warn(context ?? {}, message),
    error: (message, context) => logger.error(context ?? {}, message),
  };
}

function createPool(config: ServiceConfig, service: ServiceName): Pool {
  if (!config.databaseUrl) throw new Error(`${service}: DATABASE_URL is not set`);
  const pool = new Pool({
    connectionString: config.databaseUrl,
    max: config.databasePoolMax,
    application_name: `platform-${service}`,
    connectionTimeoutMillis: 10_000,
  });
  // A connection dropped while idle is replaced on the next checkout; it must not crash the process.
  pool.on('error', (e) => new Logger(`${service}.database`).warn(`idle connection failed: ${e.message}`));
  return pool;
}

function createEventStore(config: ServiceConfig, pool: Pool, options: ServiceInfrastructureOptions): EventStore {
  // The log lives in EventStoreDB when configured; data keys, checkpoints and read models stay in PostgreSQL.
  const log = config.eventStoreConnectionString
    ? EventStoreDBEventStore.fromConnectionString(config.eventStoreConnectionString)
    : new PostgresEventStore(pool, { exclusive: config.embeddedDatabase, serialTransactions: config.embeddedDatabase });
  const keys = new CachedDataKeyStore(new PostgresDataKeyStore(pool, { masterKey: config.dataKeyMasterKey }));
  const policy = new PersonalDataPolicy(productPersonalData, options.personalData ?? {});
  return new ProtectedEventStore(log, { keys, policy });
}

/**
 * A service's runtime: migrations before anything runs, readiness checks and projection
 * statuses registered, runners and consumers started once every module is initialised
 * (feature modules add their projections in `onModuleInit` through `ServiceProjections`),
 * and stopped, store closed and pool ended on shutdown, in that order.
 */
@Injectable()
export class ServiceRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger: Logger;
  private migrated: string[] | undefined;
  private consumers: InboxConsumer[] = [];

  constructor(
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceInfrastructureOptions,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(MESSAGE_TRANSPORT) private readonly transport: MessageTransport,
    @Inject(PROJECTION_REGISTRY) private readonly projections: ProjectionRegistry<ProjectionRunner>,
    private readonly readiness: ReadinessRegistry,
    private readonly monitor: ProjectionMonitor,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly registeredConsumers: ServiceConsumers,
    @Optional() @Inject(EVENT_STORE) private readonly store?: EventStore,
  ) {
    this.logger = new Logger(`${options.service}.runtime`);
  }

  private get name(): string {
    return this.options.service;
  }

  async onModuleInit(): Promise<void> {
    this.readiness.add({ name: `${this.name}.database`, check: () => this.checkDatabase() });
    if (!this.options.eventSourcing) return;
    this.readiness.add({ name: `${this.name}.migrations`, check: async () => this.checkMigrations() });
    this.readiness.add({ name: `${this.name}.event-store`, check: () => this.checkEventStore() });
    this.readiness.add({ name: `${this.name}.projections`, check: () => this.checkProjections() });
    this.monitor.add(this.name, async () =>
      this.projections.statuses().map((s) => ({
        name: s.name,
        state: s.state,
        position: s.position,
        lag: s.lag === null ? 0 : Number(s.lag),
        lagMs: s.lagMs,
        parked: s.parkedCount,
        ...(s.lastError ? { lastError: s.lastError.message } : {}),
      })),
    );
    const applied = [
      ...(await migrateEventStore(this.pool)).map((id) => `event-store/${id}`),
      ...(await migrateProjections(this.pool)).map((id) => `projections/${id}`),
      ...(await migrateDataKeys(this.pool)).map((id) => `data-keys/${id}`),
    ];
    await migrateInbox(this.pool);
    await this.transport.migrate(this.pool);
    this.migrated = applied;
    this.logger.log({ applied }, applied.length > 0 ? 'migrations applied' : 'schema up to date');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.eventSourcing) return;
    this.projections.startAll();
    for (const c of this.registeredConsumers.all()) {
      const consumer = this.transport.consumer({ ...c, handler: c.handler ?? (async () => undefined), pool: this.pool });
      await consumer.start();
      this.consumers.push(consumer);
    }
    this.logger.log(
      { projections: this.projections.all().map((r) => r.name), consumers: this.consumers.length, transport: this.transport.kind },
      'started',
    );
  }

  /** First phase of shutdown: no more work is taken (runners finish their batch). */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled(this.consumers.map((c) => c.stop()));
    this.consumers = [];
    await this.projections.stopAll();
    this.readiness.remove(`${this.name}.database`);
    this.readiness.remove(`${this.name}.migrations`);
    this.readiness.remove(`${this.name}.event-store`);
    this.readiness.remove(`${this.name}.projections`);
    this.monitor.remove(this.name);
  }

  private async checkDatabase() {
    const started = Date.now();
    await this.pool.query('SELECT 1');
    return { ok: true, details: { latencyMs: Date.now() - started } };
  }

  /** The log answers (its tables exist, or EventStoreDB is reachable). */
  private async checkEventStore() {
    const head = await this.store!.headPosition();
    return {
      ok: true,
      details: { backend: this.config.eventStoreConnectionString ? 'eventstoredb' : 'postgresql', head: head.toString() },
    };
  }

  private checkMigrations() {
    return this.migrated
      ? { ok: true, details: { appliedAtStart: this.migrated.length } }
      : { ok: false, details: { reason: 'migrations have not completed' } };
  }

  private async checkProjections() {
    const statuses = await this.monitor.statuses(this.name);
    const projections = Object.fromEntries(
      statuses.map((s) => [
        s.name,
        {
          state: s.state,
          position: s.position.toString(),
          lag: s.lag,
          lagMs: s.lagMs ?? null,
          parked: s.parked,
          stuck: s.stuck,
          ...(s.reason ? { reason: s.reason } : {}),
        },
      ]),
    );
    return { ok: statuses.every((s) => !s.stuck), details: { projections } };
  }

  /** Last phase: the store's connections, then the pool, once nothing uses them any more. */
  async onApplicationShutdown(): Promise<void> {
    await this.store?.close().catch((e: unknown) => this.logger.warn(`closing the event store failed: ${String(e)}`));
    await this.pool.end();
  }
}

/** Where feature modules of a service add their projections (read models, effects); runners start on bootstrap. */
@Injectable()
export class ServiceProjections {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_REGISTRY) private readonly registry: ProjectionRegistry<ProjectionRunner>,
  ) {}

  add(projection: Projection, options: ProjectionRunnerOptions = {}): ProjectionRunner {
    return this.registry.register(
      new ProjectionRunner({
        pool: this.pool,
        store: this.store,
        projection,
        options: { logger: projectionLogger(), ...options },
      }),
    );
  }
}

/** Registers the relay projection when the service publishes integration events. */
@Injectable()
class RelayRegistration implements OnModuleInit {
  constructor(
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceInfrastructureOptions,
    @Inject(MESSAGE_TRANSPORT) private readonly transport: MessageTransport,
    private readonly projections: ServiceProjections,
  ) {}

  onModuleInit(): void {
    const relay = this.options.relay;
    if (!relay) return;
    this.projections.add(
      new IntegrationEventRelay({
        name: `${this.options.service}.integration-relay`,
        filter: { categories: relay.categories },
        map: relay.map ?? contractEventMapper(relay.producer),
        publisher: this.transport.publisher,
      }),
      RELAY_RUNNER_OPTIONS,
    );
  }
}

/**
 * The infrastructure of one service: its pool, its event store, its projection runners (the
 * integration-event relay among them) and its inbox consumers, with readiness and metrics.
 * Import the returned module once per service; its feature modules import the same instance
 * (it exports PG_POOL, EVENT_STORE and ServiceProjections).
 */
@Module({})
export class ServiceInfrastructureModule {
  static forService(options: ServiceInfrastructureOptions): DynamicModule {
    const eventSourcing = options.eventSourcing ?? true;
    const resolved: ServiceInfrastructureOptions = { ...options, eventSourcing };
    return {
      module: ServiceInfrastructureModule,
      providers: [
        { provide: SERVICE_OPTIONS, useValue: resolved },
        { provide: PG_POOL, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig) => createPool(config, options.service) },
        ...(eventSourcing
          ? [
              {
                provide: EVENT_STORE,
                inject: [SERVICE_CONFIG, PG_POOL],
                useFactory: (config: ServiceConfig, pool: Pool) => createEventStore(config, pool, resolved),
              },
              ServiceProjections,
              RelayRegistration,
            ]
          : []),
        { provide: PROJECTION_REGISTRY, useFactory: () => new ProjectionRegistry<ProjectionRunner>() },
        ServiceConsumers,
        ServiceRuntime,
      ],
      exports: [PG_POOL, PROJECTION_REGISTRY, ServiceConsumers, ...(eventSourcing ? [EVENT_STORE, ServiceProjections] : [])],
    };
  }
}
