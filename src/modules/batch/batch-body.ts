import { createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { wasPrepared } from '../../core/http/json-body-parser';
import { createValidationPipe } from '../../core/http/validation.pipe';
import type { BatchItemPayload } from './batch.repository';
import type { BatchItemDto } from './dto/batch-item.dto';
import { CreateBatchDto } from './dto/create-batch.dto';

/**
 * A validated POST /api/batches body in the form the batch is stored from:
 * the items already as the JSON of their payloads, and of the folders and
 * document types they name each distinct id with the first item naming it.
 * Made on a body-parse thread for a heavy body (see body-preparations), so
 * the event loop never holds 10,000 item objects; made the same way on the
 * event loop for a small one.
 */
export interface PreparedBatch {
  name: string;
  source: string;
  organizationId?: number;
  itemCount: number;
  /**
   * The items' payloads (trimmed, only the fields given) as JSON arrays of at
   * most ITEMS_PER_PART items each, in jsonb's binary input form (a version
   * byte, 1, then the UTF-8 text): sent to PostgreSQL as they are, never
   * turned into strings on the event loop. In parts, because the driver copies
   * a parameter into its message in one go: a 13 MB parameter is a pause of
   * tens of milliseconds for every other request, a 1.4 MB one is not.
   */
  itemsJsonb: Uint8Array[];
  /** [folderId, index of the first item naming it] */
  folders: [number, number][];
  /** [documentTypeId, index of the first item naming it] */
  documentTypes: [number, number][];
}

/** Only the fields given: an optional field sent as null is absent (as validation took it). */
function payloadOf(item: BatchItemDto): BatchItemPayload {
  const p: BatchItemPayload = { subject: item.subject.trim(), sender: item.sender.trim() };
  if (item.receivedOn != null) p.receivedOn = item.receivedOn;
  if (item.priority != null) p.priority = item.priority;
  if (item.documentTitle != null) p.documentTitle = item.documentTitle.trim();
  if (item.documentTypeId != null) p.documentTypeId = item.documentTypeId;
  if (item.folderId != null) p.folderId = item.folderId;
  return p;
}

/** Each distinct value of a field with the first item index it occurs at. */
function firstIndexes(
  items: BatchItemDto[],
  pick: (i: BatchItemDto) => number | undefined,
): [number, number][] {
  const first = new Map<number, number>();
  items.forEach((item, index) => {
    const v = pick(item);
    if (v != null && !first.has(v)) first.set(v, index);
  });
  return [...first];
}

const pipe = createValidationPipe();

/** Items per INSERT statement of a batch (a maximal item is ~1.4 KB of JSON). */
export const ITEMS_PER_PART = 1_000;

/**
 * jsonb's binary input: format version 1, then the JSON text in UTF-8. In
 * shared memory: made on a body-parse thread, it reaches the event loop
 * without a copy (a 13 MB copy there is a 13 MB pause for every request).
 */
function jsonbBinary(json: string): Buffer {
  const out = Buffer.from(new SharedArrayBuffer(1 + Buffer.byteLength(json)));
  out[0] = 1;
  out.write(json, 1, 'utf8');
  return out;
}

function parts<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Validates a parsed body against CreateBatchDto with the application's own
 * ValidationPipe (same rules, same 400s) and prepares it for storing.
 */
export async function prepareBatch(body: unknown): Promise<PreparedBatch> {
  const dto = (await pipe.transform(body, {
    type: 'body',
    metatype: CreateBatchDto,
  })) as CreateBatchDto;
  const prepared: PreparedBatch = {
    name: dto.name,
    source: dto.source,
    itemCount: dto.items.length,
    itemsJsonb: parts(dto.items, ITEMS_PER_PART).map((part) =>
      jsonbBinary(JSON.stringify(part.map(payloadOf))),
    ),
    folders: firstIndexes(dto.items, (i) => i.folderId),
    documentTypes: firstIndexes(dto.items, (i) => i.documentTypeId),
  };
  if (dto.organizationId != null) prepared.organizationId = dto.organizationId;
  return prepared;
}

/**
 * The body of POST /api/batches as a PreparedBatch: prepared on a body-parse
 * thread when it was heavy, here otherwise (the global ValidationPipe leaves
 * custom parameter decorators alone, so nothing validates it twice).
 */
export const BatchBody = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Promise<PreparedBatch> => {
    const body = ctx.switchToHttp().getRequest<FastifyRequest>().body;
    return wasPrepared(body) ? Promise.resolve(body as PreparedBatch) : prepareBatch(body);
  },
);
