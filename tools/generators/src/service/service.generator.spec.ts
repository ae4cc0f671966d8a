import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { CATALOGUE, MANIFEST, serviceGenerator } from './service.generator';
import type { ManifestEntry } from './service-options';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
// The real files the generator reads and updates, in an otherwise empty virtual workspace.
const REAL_FILES = [CATALOGUE, MANIFEST, 'docker-compose.yml', 'README.md'];

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const file of REAL_FILES) tree.write(file, readFileSync(path.join(ROOT, file), 'utf8'));
  return tree;
}

const filesUnder = (tree: Tree, dir: string): string[] =>
  tree.children(dir).flatMap((child) => {
    const full = `${dir}/${child}`;
    return tree.isFile(full) ? [full] : filesUnder(tree, full);
  });

describe('@shop/tools:service in a virtual workspace', () => {
  it('writes the app, one feature per consumed event topic and the users view, and registers the service', async () => {
    const tree = workspace();
    await serviceGenerator(tree, { name: 'loyalty-points', consumes: 'users,order-validations,fraud-alerts', skipFormat: true });

    expect(filesUnder(tree, 'apps/loyalty-points').sort()).toEqual(
      [
        'README.md',
        'jest.config.cjs',
        'jest.int.config.cjs',
        'project.json',
        'tsconfig.json',
        'prisma/schema.prisma',
        'src/api-docs.spec.ts',
        'src/api-docs.ts',
        'src/app.module.ts',
        'src/config/config.spec.ts',
        'src/config/config.ts',
        'src/database/prisma.service.ts',
        'src/loyalty-points.int-spec.ts',
        'src/main.ts',
        'src/users/infra/users.view.ts',
        ...['order-validations', 'fraud-alerts'].flatMap((f) => [
          `src/${f}/${f}.module.ts`,
          `src/${f}/application/${f}-seen.api.ts`,
          `src/${f}/application/${f}-seen.controller.ts`,
          `src/${f}/domain/${f}-seen.spec.ts`,
          `src/${f}/domain/${f}-seen.ts`,
          `src/${f}/infra/${f}-seen.repository.ts`,
          `src/${f}/infra/${f}.processor.ts`,
        ]),
      ]
        .map((f) => `apps/loyalty-points/${f}`)
        .sort(),
    );

    const project = JSON.parse(tree.read('apps/loyalty-points/project.json', 'utf8') ?? '{}') as { tags: string[]; targets: object };
    expect(project.tags).toEqual(['type:app', 'scope:loyalty-points']);
    expect(Object.keys(project.targets)).toEqual(['typecheck', 'test', 'int-test', 'build', 'serve']);

    const schema = tree.read('apps/loyalty-points/prisma/schema.prisma', 'utf8') ?? '';
    expect([...schema.matchAll(/@@map\("([a-z_]+)"\)/g)].map((m) => m[1])).toEqual([
      'kafka_consumer_offsets',
      'users_view',
      'order_validations_seen',
      'fraud_alerts_seen',
    ]);
    const processor = tree.read('apps/loyalty-points/src/fraud-alerts/infra/fraud-alerts.processor.ts', 'utf8') ?? '';
    expect(processor).toContain('topic: Topics.fraudAlerts,');
    expect(processor).toContain('joins: [USERS_VIEW],');

    const services = (JSON.parse(tree.read(MANIFEST, 'utf8') ?? '{}') as { services: ManifestEntry[] }).services;
    expect(services.at(-1)).toMatchObject({
      name: 'loyalty-points',
      database: 'loyalty_points',
      consumes: ['users', 'order-validations', 'fraud-alerts'],
    });
    expect(tree.read('docker-compose.yml', 'utf8')).toContain('  loyalty-points:\n    <<: *service\n');
    expect(tree.read('README.md', 'utf8')).toMatch(/^\| `loyalty-points` \| \d+ \| `users`, `order-validations`, `fraud-alerts` \|/m);
  });

  it('writes no users view, no join, when users is not consumed', async () => {
    const tree = workspace();
    await serviceGenerator(tree, { name: 'order-audit', consumes: 'orders', skipFormat: true });
    expect(tree.exists('apps/order-audit/src/users')).toBe(false);
    expect(tree.read('apps/order-audit/src/orders/infra/orders.processor.ts', 'utf8')).not.toContain('joins');
    expect(tree.read('apps/order-audit/src/app.module.ts', 'utf8')).not.toContain('views:');
  });

  it('refuses a service that exists or a topic the catalogue does not have, and writes nothing', async () => {
    const tree = workspace();
    const manifest = tree.read(MANIFEST, 'utf8');
    await expect(serviceGenerator(tree, { name: 'shipping', consumes: 'users', skipFormat: true })).rejects.toThrow(
      /"shipping" is already a service of the manifest/,
    );
    await expect(serviceGenerator(tree, { name: 'returns', consumes: 'users,returns', skipFormat: true })).rejects.toThrow(
      /"returns" is not a topic of the catalogue/,
    );
    tree.write('apps/returns/README.md', '# an old folder');
    await expect(serviceGenerator(tree, { name: 'returns', consumes: 'users', skipFormat: true })).rejects.toThrow(
      /apps\/returns exists already/,
    );
    expect(tree.read(MANIFEST, 'utf8')).toBe(manifest);
    expect(tree.exists('apps/shipping/project.json')).toBe(false);
  });
});
