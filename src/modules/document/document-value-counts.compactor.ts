import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../../core/config/config.schema';
import { APP_CONFIG } from '../../core/config/config.module';
import { DocumentValueCountsRepository } from './document-value-counts.repository';

/**
 * Every KEPT_COUNTS_COMPACT_INTERVAL_MS a worker folds the kept counts' deltas
 * in (one worker at a time; the others find the lock taken). Counts are right
 * without it, only read from more rows as deltas pile up.
 */
@Injectable()
export class DocumentValueCountsCompactor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DocumentValueCounts');
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly repo: DocumentValueCountsRepository,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.compact(),
      this.cfg.keptCounts.compactIntervalMs,
    ).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async compact(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.repo.compact();
    } catch (e) {
      this.logger.warn(`compaction skipped: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.running = false;
    }
  }
}
