/**
 * The HTTP framework's own limit, for `npm run bench:system`: a NestJS app whose POST /orders parses the JSON
 * body and answers 202, writing nothing; HTTP_ADAPTER=express|fastify picks Nest's HTTP platform.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

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
  const app =
    process.env['HTTP_ADAPTER'] === 'express'
      ? await NestFactory.create(BareModule, { logger: ['error'] })
      : await NestFactory.create(BareModule, new FastifyAdapter(), { logger: ['error'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1');
  process.stdout.write(`listening ${String(process.env['PORT'])}\n`);
}

void main();
