/**
 * Writes docs/integration-events/*.schema.json and its README from libs/contracts/src, removing
 * files of contracts that no longer exist. Run: npm run contracts:publish
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderSchemaDocs, SCHEMA_DOCS_DIR } from '../../libs/contracts/src/schema-docs';

const dir = resolve(__dirname, '..', '..', SCHEMA_DOCS_DIR);
mkdirSync(dir, { recursive: true });
const files = renderSchemaDocs();
for (const name of readdirSync(dir)) {
  if (!files.has(name)) {
    rmSync(join(dir, name));
    console.log(`removed ${SCHEMA_DOCS_DIR}/${name}`);
  }
}
for (const [name, content] of files) writeFileSync(join(dir, name), content);
console.log(`wrote ${files.size} files to ${SCHEMA_DOCS_DIR}`);
