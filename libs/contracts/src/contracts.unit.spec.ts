import type { JsonSchema } from './json-schema';
import { integrationEventRegistry } from './registry';

/** Field paths (`a.b`, `list[].x`) of every property in a schema, with its schema. */
function paths(schema: JsonSchema, prefix = ''): Array<[string, JsonSchema]> {
  const out: Array<[string, JsonSchema]> = [];
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.push([path, sub], ...paths(sub, path));
    if (sub.items) out.push([`${path}[]`, sub.items], ...paths(sub.items, `${path}[]`));
  }
  return out;
}

describe('integration-event contracts', () => {
  const contracts = integrationEventRegistry.all();

  it.each(contracts.map((c) => [`${c.type} v${c.version}`, c] as const))(
    '%s declares exactly the personal fields its schema has',
    (_name, c) => {
      const all = new Map(paths(c.schema));
      const declared = c.personalData.carries ? c.personalData.fields : [];
      for (const field of declared) expect(all.has(field)).toBe(true);
      // Every email address or link in the data must be declared (links carry personal tokens).
      const sensitive = [...all]
        .filter(([, s]) => s.format === 'email' || s.format === 'uri')
        .map(([p]) => p)
        .filter((p) => !declared.some((d) => p === d || p.startsWith(`${d}.`) || p.startsWith(`${d}[]`) || d.startsWith(`${p}[]`)));
      expect(sensitive).toEqual([]);
    },
  );

  it('names every contract once per topic with a PascalCase type and a description', () => {
    expect(new Set(contracts.map((c) => `${c.type}@${c.version}`)).size).toBe(contracts.length);
    for (const c of contracts) {
      expect(c.type).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(c.description.length).toBeGreaterThan(10);
      expect(c.schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    }
    for (const required of [
      'CustomerInvited',
      'InvitationResent',
      'InvitationRevoked',
      'InvitationAccepted',
      'CustomerUpdated',
      'ManagementModeChanged',
      'CustomerTagsChanged',
      'CustomerDisconnected',
      'SupportTicketOpened',
      'SupportTicketClosed',
      'ServicesAdded',
      'SubscriptionChanged',
      'SubscriptionExpired',
      'ServicesStarted',
      'ServiceProvisioningFailed',
    ]) {
      expect(integrationEventRegistry.latestVersion(required)).toBe(1);
    }
  });
});
