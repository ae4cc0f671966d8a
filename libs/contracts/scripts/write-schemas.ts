// Writes the JSON Schema of every (topic, type, version) under libs/contracts/schemas: npm run contracts:schemas
// Like a schema registry with BACKWARD compatibility, it refuses (exit 1, nothing written) a change that a reader
// of the records already written could not read.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { compatibilityProblems, schemaFiles, SCHEMAS_DIR } from '../src/compatibility/schema-files';
import { parsedSchemas, readCommittedSchemas } from './committed-schemas';

const root = path.resolve(__dirname, '../../..');
const dir = path.join(root, SCHEMAS_DIR);
const current = schemaFiles();
const problems = compatibilityProblems(parsedSchemas(readCommittedSchemas(dir)), current);
if (problems.length > 0) {
  process.stderr.write(`refusing to write ${SCHEMAS_DIR}: not backward compatible\n${problems.map((p) => `  - ${p}\n`).join('')}`);
  process.exit(1);
}
for (const file of current) {
  const target = path.join(dir, file.path);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, file.content);
}
process.stdout.write(`wrote ${current.length} schemas under ${SCHEMAS_DIR}\n`);
