import { Topics, type IntegrationEventContract } from './contract';
import { CloudEventHeaders } from './kafka-binding';
import { integrationEventRegistry } from './registry';

/** Where `npm run contracts:publish` writes, relative to the repository root. */
export const SCHEMA_DOCS_DIR = 'docs/integration-events';

export const schemaFileName = (c: Pick<IntegrationEventContract, 'type' | 'version'>): string =>
  `${c.type}.v${c.version}.schema.json`;

/** The published files: file name → content. The docs test compares these with what is on disk. */
export function renderSchemaDocs(contracts = integrationEventRegistry.all()): Map<string, string> {
  const sorted = [...contracts].sort((a, b) => a.topic.localeCompare(b.topic) || a.type.localeCompare(b.type) || a.version - b.version);
  const files = new Map<string, string>();
  for (const c of sorted) files.set(schemaFileName(c), `${JSON.stringify(c.schema, null, 2)}\n`);
  files.set('README.md', renderIndex(sorted));
  return files;
}

function renderIndex(contracts: IntegrationEventContract[]): string {
  const h = CloudEventHeaders;
  const lines = [
    '# Integration events',
    '',
    'Generated from `libs/contracts/src` by `npm run contracts:publish`; do not edit by hand',
    '(a unit test fails when these files are out of date).',
    '',
    '## Transport',
    '',
    'CloudEvents 1.0, Kafka protocol binding, binary content mode. One topic per producing service;',
    'message key = customer id (so one customer’s events stay in order); value = `data` as JSON.',
    '',
    '| header | meaning |',
    '|---|---|',
    `| \`${h.specversion}\` | \`1.0\` |`,
    `| \`${h.id}\` | event id (UUID); consumers deduplicate by it |`,
    `| \`${h.type}\` | event type, e.g. \`CustomerInvited\` |`,
    `| \`${h.source}\` | producing service, \`/msp-platform/<service>\` |`,
    `| \`${h.time}\` | when it happened, ISO 8601 UTC |`,
    `| \`${h.subject}\` | customer id (= message key) |`,
    `| \`${h.dataschema}\` | \`$id\` of the data schema, \`urn:msp-platform:integration-events:<type>:v<version>\` |`,
    `| \`${h.contentType}\` | \`application/json\` |`,
    `| \`${h.schemaversion}\` | schema version of \`data\` (extension) |`,
    `| \`${h.partnerid}\` | partner id (extension) |`,
    `| \`${h.correlationid}\` | correlation id (extension) |`,
    `| \`${h.causationid}\` | id of the message or command that caused it, when known (extension) |`,
    `| \`${h.actortype}\`, \`${h.actorid}\` | who caused it: \`user\` / \`service\` / \`system\` / \`customer\` and an id (extensions) |`,
    '',
    '## Compatibility',
    '',
    '- Within a version, producers may only add optional fields. Consumers validate with open objects',
    '  (unknown fields are ignored); producers validate with closed objects (a field that is not in the',
    '  contract is refused, so nothing personal leaks by accident).',
    '- Anything else (renaming, removing, retyping, making a field required) is a new version with a new',
    '  schema file; producers publish the old version too until every consumer reads the new one.',
    '- A consumer that sees an unknown type or version skips it (`CONTRACTS.UNKNOWN_EVENT`).',
    '',
    '## Personal data',
    '',
    'Events marked “yes” carry personal data that a consumer genuinely needs (mostly the notifications',
    'service, to send emails). Kafka keeps messages for the topic’s retention only; consumers delete what',
    'they keep about a customer when they receive `CustomerDisconnected`.',
    '',
  ];
  for (const topic of Object.values(Topics)) {
    const onTopic = contracts.filter((c) => c.topic === topic);
    if (onTopic.length === 0) continue;
    lines.push(`## \`${topic}\``, '', '| event | version | personal data | description | schema |', '|---|---|---|---|---|');
    for (const c of onTopic) {
      const pd = c.personalData.carries ? `yes: ${c.personalData.fields.map((f) => `\`${f}\``).join(', ')} — ${c.personalData.why}` : 'no';
      lines.push(`| \`${c.type}\` | ${c.version} | ${pd} | ${c.description} | [schema](./${schemaFileName(c)}) |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
