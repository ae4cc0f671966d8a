import { Inject, Injectable } from '@nestjs/common';
import { createPgAdapter } from '@shop/db';
import { PrismaClient } from '../generated/prisma/client';
import { PLATFORM_OPTIONS, type PlatformOptions } from './platform.tokens';

/**
 * The service's generated Prisma client (pg driver adapter) as an injectable class. Connecting is lazy;
 * PlatformLifecycle disconnects it last, after the consumers stopped.
 */
@Injectable()
export class PrismaService extends PrismaClient {
  constructor(@Inject(PLATFORM_OPTIONS) options: PlatformOptions) {
    super({ adapter: createPgAdapter(options.databaseUrl, { poolSize: 10, applicationName: options.service }) });
  }
}
