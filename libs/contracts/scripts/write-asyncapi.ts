// Writes docs/asyncapi.json from the topic catalogue: npm run contracts:asyncapi
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderAsyncApiDocument } from '../src/asyncapi/asyncapi';

const root = path.resolve(__dirname, '../../..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
const target = path.join(root, 'docs/asyncapi.json');
writeFileSync(target, renderAsyncApiDocument(version));
process.stdout.write(`wrote ${path.relative(root, target)}\n`);
