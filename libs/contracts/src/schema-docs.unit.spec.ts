import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderSchemaDocs, SCHEMA_DOCS_DIR } from './schema-docs';

describe('published integration-event schemas', () => {
  it('docs/integration-events matches the TypeScript contracts (run `npm run contracts:publish`)', () => {
    const dir = resolve(__dirname, '..', '..', '..', SCHEMA_DOCS_DIR);
    const expected = renderSchemaDocs();
    const onDisk = readdirSync(dir).sort();
    expect(onDisk).toEqual([...expected.keys()].sort());
    for (const [name, content] of expected) {
      expect({ name, content: readFileSync(join(dir, name), 'utf8') }).toEqual({ name, content });
    }
  });
});
