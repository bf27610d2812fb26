import { Global, Module } from '@nestjs/common';
import { ClsService, ClsServiceManager } from 'nestjs-cls';
import { RequestContext } from './request-context.service';

/**
 * The request context: nestjs-cls's ClsService, opened per request by
 * openRequestContexts (see there why not by ClsModule.forRoot).
 */
@Global()
@Module({
  providers: [{ provide: ClsService, useValue: ClsServiceManager.getClsService() }, RequestContext],
  exports: [ClsService, RequestContext],
})
export class ContextModule {}
