import { jsonSchemaOf } from '../json-schema/json-schema';
import { allTopics, type TopicDefinition } from '../topics/topic-catalogue';
import { backwardIncompatibilities, versionIncompatibilities, type Json } from './backward-compatibility';

/** Where the JSON Schema of every (topic, type, version) is committed, relative to the workspace root. */
export const SCHEMAS_DIR = 'libs/contracts/schemas';

/** One committed schema: `<topic>/<Type>.v<N>.json` under SCHEMAS_DIR. */
export interface SchemaFile {
  readonly path: string;
  readonly topic: string;
  readonly type: string;
  readonly version: number;
  readonly content: string;
}

/** The schema files of the catalogue as the code defines it now (what `npm run contracts:schemas` writes). */
export function schemaFiles(topics: readonly TopicDefinition[] = allTopics): SchemaFile[] {
  return topics.flatMap((topic) =>
    topic.versions.map((v) => ({
      path: `${topic.name}/${v.type}.v${v.version}.json`,
      topic: topic.name,
      type: v.type,
      version: v.version,
      content: `${JSON.stringify(jsonSchemaOf(v.schema), null, 2)}\n`,
    })),
  );
}

const FILE_NAME = /^(?<topic>[^/]+)\/(?<type>[A-Za-z0-9]+)\.v(?<version>[1-9][0-9]*)\.json$/;

/**
 * Why the current schemas may not replace the committed ones, as a schema registry with BACKWARD compatibility
 * would refuse them ([] = they may):
 *   - a committed version must still be there (its records stay on the topic) and the current schema of that
 *     version must read what the committed one allowed;
 *   - each type's versions are 1, 2, …, N, and version n+1 reads everything version n allowed (but `version`).
 * `committed` maps a path under SCHEMAS_DIR to the file's parsed content.
 */
export function compatibilityProblems(committed: ReadonlyMap<string, Json>, current: readonly SchemaFile[]): string[] {
  const problems: string[] = [];
  const byPath = new Map(current.map((file) => [file.path, file]));
  for (const [path, before] of committed) {
    if (!FILE_NAME.test(path)) {
      problems.push(`${path}: not a schema file name (<topic>/<Type>.v<N>.json)`);
      continue;
    }
    const now = byPath.get(path);
    if (!now) problems.push(`${path}: this version was removed, but its records stay on the topic: keep reading it`);
    else problems.push(...backwardIncompatibilities(before, JSON.parse(now.content) as Json).map((p) => `${path} changed: ${p}`));
  }
  const versions = new Map<string, SchemaFile[]>();
  for (const file of current) {
    const key = `${file.topic}/${file.type}`;
    versions.set(key, [...(versions.get(key) ?? []), file]);
  }
  for (const [key, files] of versions) {
    const sorted = [...files].sort((a, b) => a.version - b.version);
    sorted.forEach((file, i) => {
      if (file.version !== i + 1) problems.push(`${key}: versions must be 1…N without gaps, found v${file.version} at position ${i + 1}`);
      const previous = sorted[i - 1];
      if (previous)
        problems.push(
          ...versionIncompatibilities(JSON.parse(previous.content) as Json, JSON.parse(file.content) as Json).map(
            (p) => `${key} v${file.version} cannot read v${previous.version}: ${p}`,
          ),
        );
    });
  }
  return problems;
}
