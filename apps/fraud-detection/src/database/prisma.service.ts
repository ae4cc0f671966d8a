import { createPgAdapter } from '@shop/db';
import { PrismaClient } from '../generated/prisma/client';

/**
 * The service's generated Prisma client (pg driver adapter), made by PlatformModule (`prisma` option) and
 * injectable by class (`prismaToken`). The platform disconnects it last, after the consumers stopped.
 */
export class PrismaService extends PrismaClient {
  constructor(databaseUrl: string, applicationName: string) {
    super({ adapter: createPgAdapter(databaseUrl, { poolSize: 10, applicationName }) });
  }
}
