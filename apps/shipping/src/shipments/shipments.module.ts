import { Module } from '@nestjs/common';
import { ShipmentsController } from './application/shipments.controller';
import { ShipmentsRepository } from './infra/shipments.repository';
import { VerdictsProcessor } from './infra/verdicts.processor';

@Module({ controllers: [ShipmentsController, VerdictsProcessor], providers: [ShipmentsRepository] })
export class ShipmentsModule {}
