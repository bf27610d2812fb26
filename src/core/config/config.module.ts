import { existsSync } from 'node:fs';
import { Global, Module } from '@nestjs/common';
import type { AppConfig } from './config.schema';
import { loadConfig } from './config.schema';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Reads the environment (and a local .env file when present, which never
 * overrides a variable already set) exactly once.
 */
export function readEnvironment(): Record<string, string | undefined> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

let cached: AppConfig | undefined;

/** The process configuration, validated once. */
export function appConfig(): AppConfig {
  cached ??= loadConfig(readEnvironment());
  return cached;
}

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig) {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
