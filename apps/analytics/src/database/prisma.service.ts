import { createPgAdapter } from '@shop/db';
import { PrismaClient } from '../generated/prisma/client';

/**
 * The service's generated Prisma client (pg driver adapter). The platform builds it (PlatformOptions.prisma)
 * and provides it under this class too, so repositories inject the typed client; it disconnects it last,
 * after the consumers stopped.
 */
export class PrismaService extends PrismaClient {
  constructor(databaseUrl: string, applicationName: string) {
    super({ adapter: createPgAdapter(databaseUrl, { poolSize: 10, applicationName }) });
  }
}
