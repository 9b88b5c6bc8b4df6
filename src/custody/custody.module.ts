import { Module } from '@nestjs/common';
import { SeizureAttachmentsHttpController } from './http/seizure-attachments.http.controller';
import { SeizureCommandsHttpController } from './http/seizure-commands.http.controller';
import { SeizureQueriesHttpController } from './http/seizure-queries.http.controller';

/** The seizure custody slice: its commands and reads over HTTP. The store and clock are global. */
@Module({
  controllers: [SeizureCommandsHttpController, SeizureQueriesHttpController, SeizureAttachmentsHttpController],
})
export class CustodyModule {}
