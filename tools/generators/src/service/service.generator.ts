import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { formatFiles, generateFiles, joinPathFragments, type GeneratorCallback, type Tree } from '@nx/devkit';
import {
  catalogueTopicsOf,
  composeClusterWith,
  composeWith,
  manifestEntryOf,
  normalizeOptions,
  readmeWith,
  type ManifestEntry,
  type ServiceGeneratorSchema,
  type ServiceSpec,
} from './service-options';

export const CATALOGUE = 'libs/contracts/src/topics/topic-catalogue.ts';
export const MANIFEST = 'libs/contracts/src/services/services.json';
const COMPOSE = 'docker-compose.yml';
const COMPOSE_CLUSTER = 'docker-compose.cluster.yml';
const README = 'README.md';

interface Manifest {
  readonly services: ManifestEntry[];
}

function read(tree: Tree, file: string): string {
  const text = tree.read(file, 'utf8');
  if (text === null) throw new Error(`@shop/tools:service needs ${file} (run it at the workspace root)`);
  return text;
}

function writeAppFiles(tree: Tree, spec: ServiceSpec): void {
  const root = `apps/${spec.name}`;
  const common = { ...spec, tmpl: '' };
  generateFiles(tree, path.join(__dirname, 'files', 'service'), root, common);
  if (spec.usersView) generateFiles(tree, path.join(__dirname, 'files', 'users'), joinPathFragments(root, 'src', 'users'), common);
  for (const stream of spec.streams) {
    generateFiles(tree, path.join(__dirname, 'files', 'stream'), joinPathFragments(root, 'src', stream.folder), {
      ...common,
      stream,
      folder: stream.folder,
    });
  }
}

/** Runs a workspace script after the files are on disk; a failure stops the generator's tasks with its output. */
function run(root: string, command: string, args: readonly string[]): void {
  process.stdout.write(`> ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/**
 * `npx nx g @shop/tools:service <name> --consumes users,order-validations`: a consuming service as README's
 * "How to add a service" describes it, ready to run and test. What needs the files on disk (the first
 * migration from the schema, the Prisma client, the compose init script, the OpenAPI document) runs after
 * they are written, with the workspace's own scripts.
 */
export async function serviceGenerator(tree: Tree, options: ServiceGeneratorSchema): Promise<GeneratorCallback> {
  const manifest = JSON.parse(read(tree, MANIFEST)) as Manifest;
  const spec = normalizeOptions(options, catalogueTopicsOf(read(tree, CATALOGUE)), manifest.services);
  if (tree.exists(`apps/${spec.name}`)) throw new Error(`apps/${spec.name} exists already`);

  writeAppFiles(tree, spec);
  const services = [...manifest.services, manifestEntryOf(spec)];
  // Prettier (formatFiles) gives it back the file's layout: short arrays inline.
  tree.write(MANIFEST, `${JSON.stringify({ ...manifest, services }, null, 2)}\n`);
  tree.write(COMPOSE, composeWith(read(tree, COMPOSE), spec, manifest.services));
  if (tree.exists(COMPOSE_CLUSTER)) tree.write(COMPOSE_CLUSTER, composeClusterWith(read(tree, COMPOSE_CLUSTER), spec));
  tree.write(README, readmeWith(read(tree, README), spec));
  if (!options.skipFormat) await formatFiles(tree);

  return () => {
    if (options.skipTasks) return;
    const root = tree.root;
    const node = process.execPath;
    run(root, node, ['tools/scripts/db-migration.mjs', '--schema', `apps/${spec.name}/prisma/schema.prisma`, '--name', 'init']);
    run(root, node, ['tools/scripts/prisma-generate.mjs']);
    run(root, node, ['tools/scripts/write-service-databases.mjs']);
    run(root, node, ['-r', '@swc-node/register', 'libs/nest-platform/scripts/write-openapi.ts']);
    process.stdout.write(
      `\n${spec.name}: port ${spec.port}, database ${spec.database}. Next: the rules in src/<feature>/domain/, then\n` +
        `  npx nx run-many -p ${spec.name} -t lint typecheck test   and   node tools/scripts/with-infra.mjs npx nx run ${spec.name}:int-test\n`,
    );
  };
}

export default serviceGenerator;
