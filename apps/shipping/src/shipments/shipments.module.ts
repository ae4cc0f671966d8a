import { Module } from '@nestjs/common';
import { ShipmentsController } from './application/shipments.controller';
import { ShipmentsRepository } from './infra/shipments.repository';

@Module({ controllers: [ShipmentsController], providers: [ShipmentsRepository] })
export class ShipmentsModule {}
