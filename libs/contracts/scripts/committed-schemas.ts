import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Json } from '../src/compatibility/backward-compatibility';

/** Every committed schema file under `dir`: path relative to it (with '/') → the file's text. */
export function readCommittedSchemas(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
  }
  return files;
}

export function parsedSchemas(files: ReadonlyMap<string, string>): Map<string, Json> {
  return new Map([...files].map(([name, text]) => [name, JSON.parse(text) as Json]));
}
