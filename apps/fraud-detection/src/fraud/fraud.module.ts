import { Module } from '@nestjs/common';
import { VerdictsProcessor } from './infra/verdicts.processor';

/** The fraud rules over the verdicts stream: a @ViewHandler run by the platform's transport. */
@Module({ controllers: [VerdictsProcessor] })
export class FraudModule {}
