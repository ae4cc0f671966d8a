import { createPgAdapter } from '@shop/db';
import { PrismaClient } from '../generated/prisma/client';

/**
 * The service's generated Prisma client (pg driver adapter) as a class, so repositories inject it fully
 * typed. Made by the platform (PlatformOptions.prisma) and provided under this class (prismaToken); the
 * platform disconnects it last, after the consumers stopped.
 */
export class PrismaService extends PrismaClient {
  constructor(databaseUrl: string, service: string) {
    super({ adapter: createPgAdapter(databaseUrl, { poolSize: 10, applicationName: service }) });
  }
}
