import 'reflect-metadata';
import { HttpException } from '@nestjs/common';
import type { ApiErrorBody } from './core/http/api-error';
import { JsonBodyError, parseJsonBody } from './core/http/json-body';
import type { BodyParseOutcome, BodyParseTask } from './core/http/json-body-parser';
import { BODY_PREPARATIONS } from './body-preparations';

const decoder = new TextDecoder('utf-8');

/**
 * A body-parse thread (see registerJsonBodyParser): parses and checks a heavy
 * JSON body and, when the route names a preparation, validates and reshapes it.
 * Refusals come back as the ApiError body they answer with.
 */
export default async function parseBody(task: BodyParseTask): Promise<BodyParseOutcome> {
  try {
    const body = parseJsonBody(decoder.decode(task.bytes), task.limits);
    const prepare = task.prepare ? BODY_PREPARATIONS[task.prepare] : undefined;
    if (!prepare) return { ok: true, body, prepared: false };
    return { ok: true, body: await prepare(body), prepared: true };
  } catch (e) {
    if (e instanceof JsonBodyError) return { ok: false, error: e.body };
    if (e instanceof HttpException) {
      return { ok: false, error: e.getResponse() as ApiErrorBody };
    }
    throw e;
  }
}
