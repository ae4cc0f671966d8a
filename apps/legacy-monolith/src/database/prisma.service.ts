import { createPgAdapter } from '@shop/db';
import { PrismaClient } from '../generated/prisma/client';

/**
 * The service's generated Prisma client (pg driver adapter), injectable by class. Connecting is lazy;
 * AppLifecycle disconnects it last on shutdown, after the HTTP server closed.
 */
export class PrismaService extends PrismaClient {
  constructor(databaseUrl: string, applicationName: string) {
    super({ adapter: createPgAdapter(databaseUrl, { poolSize: 10, applicationName }) });
  }
}
