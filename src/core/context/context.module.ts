import { Global, Module } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ClsModule } from 'nestjs-cls';
import { RequestContext } from './request-context.service';

@Global()
@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      middleware: {
        mount: true,
        generateId: true,
        idGenerator: (req: FastifyRequest['raw'] & { id?: string }) => String(req.id ?? ''),
      },
    }),
  ],
  providers: [RequestContext],
  exports: [RequestContext],
})
export class ContextModule {}
