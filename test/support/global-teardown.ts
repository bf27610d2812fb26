import type { EmbeddedDatabase } from '../../src/core/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as Record<string, unknown>).__postroomEmbedded as
    EmbeddedDatabase | undefined;
  await embedded?.stop();
}
