// Writes docs/openapi/<service>.json for every app that has src/api-docs.ts: npm run docs:openapi
// Needs no Kafka and no PostgreSQL (previewApiDocument). Each app's api-docs.spec.ts fails while its file is stale.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { apiDocumentFile, apiDocumentProblems, previewApiDocument, renderApiDocument, type ApiDocsSource } from '../src';

const root = path.resolve(__dirname, '../../..');

function isApiDocsSource(value: unknown): value is ApiDocsSource {
  const source = value as Partial<ApiDocsSource> | undefined;
  return typeof source?.service === 'string' && typeof source.module === 'function';
}

async function main(): Promise<void> {
  // Apps are found by their file, not imported by name: a library may not depend on an app (Nx module boundaries).
  const files = readdirSync(path.join(root, 'apps'))
    .sort()
    .map((app) => path.join(root, 'apps', app, 'src', 'api-docs.ts'))
    .filter((file) => existsSync(file));
  let failed = false;
  for (const file of files) {
    const source = (require(file) as { apiDocs?: unknown }).apiDocs;
    if (!isApiDocsSource(source)) throw new Error(`${path.relative(root, file)} does not export apiDocs: ApiDocsSource`);
    const document = await previewApiDocument(source);
    const problems = apiDocumentProblems(document);
    if (problems.length > 0) {
      process.stderr.write(`${source.service}: not written, the document is incomplete:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      failed = true;
      continue;
    }
    const target = apiDocumentFile(source.service);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, renderApiDocument(document));
    process.stdout.write(`wrote ${path.relative(root, target)}\n`);
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
