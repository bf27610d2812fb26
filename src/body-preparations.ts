import { prepareBatch } from './modules/batch/batch-body';

/**
 * Body preparations the body-parse threads run for heavy bodies of the routes
 * that name one (BodyLimit's `prepare`): validation and reshaping that would
 * otherwise hold the event loop for seconds (10,000 batch items).
 */
export const BODY_PREPARATIONS: Record<string, (body: unknown) => Promise<unknown>> = {
  'create-batch': prepareBatch,
};
