import { Module } from '@nestjs/common';
import { ShipmentsSeenController } from './application/shipments-seen.controller';
import { ShipmentsSeenRepository } from './infra/shipments-seen.repository';
import { ShipmentsProcessor } from './infra/shipments.processor';

@Module({ controllers: [ShipmentsSeenController, ShipmentsProcessor], providers: [ShipmentsSeenRepository] })
export class ShipmentsModule {}
