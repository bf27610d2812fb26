import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config.schema';
import { pooledDataSourceOptions } from './data-source.options';
import { Concurrency } from './concurrency.service';
import type { DatabaseRuntime } from './database.runtime';
import { DATABASE_RUNTIME } from './database.runtime';
import { Db } from './db.service';
import { PoolMonitor } from './pool-monitor.service';
import { PoolStats } from './pool-stats';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(cfg: AppConfig, runtime: DatabaseRuntime): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...pooledDataSourceOptions(cfg, runtime.url, runtime.poolMax),
          autoLoadEntities: true,
          // Start-up fails fast with a clear message instead of TypeORM's silent retries.
          retryAttempts: 0,
        }),
      ],
      providers: [
        PoolStats,
        Db,
        Concurrency,
        PoolMonitor,
        { provide: DATABASE_RUNTIME, useValue: runtime },
      ],
      exports: [Db, PoolStats, Concurrency, PoolMonitor, DATABASE_RUNTIME],
    };
  }
}
