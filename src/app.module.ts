import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './core/auth/auth.module';
import { RedisModule } from './core/cache/redis.module';
import type { AppConfig } from './core/config/config.schema';
import { ConfigModule } from './core/config/config.module';
import { ContextModule } from './core/context/context.module';
import type { DatabaseRuntime } from './core/database/database.module';
import { DatabaseModule } from './core/database/database.module';
import { GridModule } from './core/grid/grid.module';
import { HealthModule } from './core/health/health.module';
import { AllExceptionsFilter } from './core/http/all-exceptions.filter';
import { AuditModule } from './modules/audit/audit.module';
import { BatchModule } from './modules/batch/batch.module';
import { DocumentModule } from './modules/document/document.module';
import { FolderModule } from './modules/folder/folder.module';
import { MailModule } from './modules/mail/mail.module';
import { PermissionModule } from './modules/permission/permission.module';

@Module({})
export class AppModule {
  static forRoot(cfg: AppConfig, db: DatabaseRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(cfg),
        ContextModule,
        DatabaseModule.forRoot(cfg, db),
        RedisModule,
        AuthModule,
        PermissionModule,
        GridModule,
        HealthModule,
        AuditModule,
        FolderModule,
        DocumentModule,
        MailModule,
        BatchModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
