/**
 * The HTTP framework's own limit, for `npm run bench:system`: a NestJS app (the same platform-express and
 * JSON body parsing as the services) whose POST /orders parses the body and answers 202, writing nothing.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

@Controller('orders')
class BareController {
  @Post()
  @HttpCode(202)
  place(@Body() body: { orderId?: unknown }): { orderId: unknown; status: 'placed' } {
    return { orderId: body.orderId ?? null, status: 'placed' };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, { logger: ['error'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1');
  process.stdout.write(`listening ${String(process.env['PORT'])}\n`);
}

void main();
