import type { EnvelopeOf, IntegrationEventContract, Topic } from './contract';
import { customersContracts } from './customers.contracts';
import { assertSupportedSchema } from './json-schema';
import { notificationsContracts } from './notifications.contracts';
import { reportingContracts } from './reporting.contracts';
import { subscriptionsContracts } from './subscriptions.contracts';

export const allContracts = [...customersContracts, ...subscriptionsContracts, ...reportingContracts, ...notificationsContracts] as const;

type AnyContract = (typeof allContracts)[number];

/** Every integration event, discriminated by `type` (and `version` once a type has several). */
export type IntegrationEvent = EnvelopeOf<AnyContract>;
export type IntegrationEventType = IntegrationEvent['type'];
/** The envelope of one type (all its versions). */
export type IntegrationEventOf<T extends IntegrationEventType> = Extract<IntegrationEvent, { type: T }>;

/** Lookup by (type, version) and by topic; checks every schema when built. */
export class IntegrationEventRegistry {
  private readonly byKey = new Map<string, IntegrationEventContract>();

  constructor(contracts: readonly IntegrationEventContract[]) {
    for (const c of contracts) {
      const key = `${c.type}@${c.version}`;
      if (this.byKey.has(key)) throw new Error(`integration event ${c.type} v${c.version} registered twice`);
      assertSupportedSchema(c.schema, `${c.type} v${c.version}`);
      this.byKey.set(key, c);
    }
  }

  lookup(type: string, version: number): IntegrationEventContract | undefined {
    return this.byKey.get(`${type}@${version}`);
  }

  /** Highest registered version of a type (what producers should write). */
  latestVersion(type: string): number | undefined {
    let latest: number | undefined;
    for (const c of this.byKey.values()) if (c.type === type && (latest === undefined || c.version > latest)) latest = c.version;
    return latest;
  }

  all(): IntegrationEventContract[] {
    return [...this.byKey.values()];
  }

  onTopic(topic: Topic): IntegrationEventContract[] {
    return this.all().filter((c) => c.topic === topic);
  }
}

export const integrationEventRegistry = new IntegrationEventRegistry(allContracts as unknown as IntegrationEventContract[]);
