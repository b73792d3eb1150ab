import { Module } from '@nestjs/common';
import { ApplicationController } from './application.controller';
import { ApplicationRepository } from './application.repository';
import { ApplicationService } from './application.service';

/** Applications: storage and the read API (the sync engine fills their status). */
@Module({
  controllers: [ApplicationController],
  providers: [ApplicationRepository, ApplicationService],
  exports: [ApplicationRepository, ApplicationService],
})
export class ApplicationsModule {}
