import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { RedisModule } from './core/cache/redis.module';
import type { AppConfig } from './core/config/config.schema';
import { ConfigModule } from './core/config/config.module';
import type { DatabaseRuntime } from './core/database/database.module';
import { DatabaseModule } from './core/database/database.module';
import { HealthModule } from './core/health/health.module';
import { AllExceptionsFilter } from './core/http/all-exceptions.filter';

@Module({})
export class AppModule {
  static forRoot(cfg: AppConfig, db: DatabaseRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(cfg),
        DatabaseModule.forRoot(cfg, db),
        RedisModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
