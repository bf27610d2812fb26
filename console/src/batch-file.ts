import type { Schemas } from '../../client';

export type BatchItem = Schemas['BatchItemDto'];

/** One CSV line's fields: commas, "quoted, fields" and "" for a quote inside one. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

const NUMBER_FIELDS = new Set(['documentTypeId', 'folderId']);

/**
 * A batch file's items: JSON (an array of items, or `{ items: [...] }`) or CSV
 * whose header names the item fields (subject, sender, receivedOn, priority, …).
 */
export function parseBatchFile(name: string, text: string): BatchItem[] {
  if (name.toLowerCase().endsWith('.json') || /^\s*[[{]/.test(text)) {
    const parsed = JSON.parse(text) as unknown;
    const items = Array.isArray(parsed) ? parsed : (parsed as { items?: unknown }).items;
    if (!Array.isArray(items)) throw new Error('JSON: an array of items, or { "items": [...] }');
    return items as BatchItem[];
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = csvFields(lines[0] ?? '');
  if (!header.includes('subject') || !header.includes('sender')) {
    throw new Error('CSV: the first line names the columns, subject and sender at least');
  }
  return lines.slice(1).map((line) => {
    const values = csvFields(line);
    const item: Record<string, string | number> = {};
    header.forEach((key, i) => {
      const v = values[i];
      if (v === undefined || v === '') return;
      item[key] = NUMBER_FIELDS.has(key) ? Number(v) : v;
    });
    return item as unknown as BatchItem;
  });
}
