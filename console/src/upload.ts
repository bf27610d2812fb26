import { api, ok } from './api';
import { parseBatchFile } from './batch-file';
import { el, errorText, notice } from './ui';

const POLL_MS = 1000;

/** Batch upload from a CSV or JSON file, then the batch's progress until it is done. */
export function uploadPage(root: HTMLElement): void {
  const name = el('input', {
    type: 'text',
    placeholder: 'Batch name',
    'data-testid': 'batch-name',
  });
  const file = el('input', { type: 'file', accept: '.csv,.json', 'data-testid': 'batch-file' });
  const send = el('button', { type: 'submit' }, 'Upload');
  const bar = el('progress', { max: 100, value: 0, 'data-testid': 'batch-progress' });
  const figures = el('p', { 'data-testid': 'batch-figures' });
  const banner = el('div', { className: 'banner', hidden: true, 'data-testid': 'banner' });
  const form = el('form', { className: 'upload' }, name, file, send);
  root.replaceChildren(el('h1', {}, 'Upload a batch'), form, banner, bar, figures);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return notice(banner, 'Choose a CSV or JSON file.');
    send.disabled = true;
    void (async () => {
      try {
        const items = parseBatchFile(chosen.name, await chosen.text());
        const client = api();
        const batch = ok(
          await client.POST('/api/batches', {
            body: { name: name.value || chosen.name, source: 'upload', items },
          }),
        );
        notice(banner, `Batch #${batch.id}: ${items.length} items sent.`, 'ok');
        for (;;) {
          const now = ok(
            await client.GET('/api/batches/{id}', { params: { path: { id: batch.id } } }),
          );
          const p = now.progress;
          bar.value = p.percent;
          figures.textContent = `${p.percent}% · ${p.processed} processed, ${p.failed} failed, ${p.remaining} remaining · ${now.status}`;
          if (p.remaining === 0) break;
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
        figures.dataset.done = 'true';
      } catch (err) {
        notice(banner, errorText(err));
      } finally {
        send.disabled = false;
      }
    })();
  });
}
