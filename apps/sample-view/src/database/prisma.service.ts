import { createPgAdapter } from '@shop/db';
import { PrismaClient } from '../generated/prisma/client';

/**
 * The service's generated Prisma client (pg driver adapter). PlatformModule makes the one instance
 * (`prisma: (url, { service }) => new PrismaService(url, service)`) and, with `prismaToken: PrismaService`,
 * lets repositories inject it by this class. Connecting is lazy; the platform disconnects it last, after
 * the consumers stopped.
 */
export class PrismaService extends PrismaClient {
  constructor(databaseUrl: string, applicationName: string) {
    super({ adapter: createPgAdapter(databaseUrl, { poolSize: 10, applicationName }) });
  }
}
