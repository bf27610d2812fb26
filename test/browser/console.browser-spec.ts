import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD, seedDemo, sql } from '../support/fixtures';
import { listen } from '../support/load';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-db';
import {
  DOCS_IMAGES,
  buildConsole,
  requireChromium,
  resultsDir,
  serveElsewhere,
} from './console-harness';

/**
 * The console in a real browser (Debian's chromium through playwright-core),
 * served from another origin than the API, so every call is cross-origin:
 * sign in, sort, set filter, 2,000 rows by cursor, edit, 409, assign, status,
 * batch upload, and the dashboard under load.
 */
describe('console in chromium', () => {
  const EXTRA_DOCUMENTS = 2_500;
  let t: TestApp;
  let built: ReturnType<typeof buildConsole>;
  let elsewhere: { origin: string; server: FastifyInstance };
  let apiUrl: string;
  let browser: Browser;
  let page: Page;
  let orgId: number;
  const shots = resultsDir();
  const errors: string[] = [];
  /** Uncaught exceptions and AG Grid's complaints: each fails the step it happened in. */
  const faults: string[] = [];

  const shot = async (name: string, docs?: string) => {
    const file = join(shots, `console-${name}.png`);
    await page.screenshot({ path: file });
    // UPDATE_DOCS_SCREENSHOTS=1 refreshes the README's images.
    if (docs && process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
      mkdirSync(DOCS_IMAGES, { recursive: true });
      copyFileSync(file, join(DOCS_IMAGES, docs));
    }
  };
  const cell = (row: number, col: string) =>
    page.locator(`.ag-row[row-index="${row}"] .ag-cell[col-id="${col}"]`).first();

  /** The id of a grid row once its block has loaded. */
  const idOf = async (row: number): Promise<number> => {
    const loc = cell(row, 'id');
    for (let i = 0; i < 100; i++) {
      const text = (await loc.textContent().catch(() => '')) ?? '';
      if (/^\d+$/.test(text)) return Number(text);
      await page.waitForTimeout(100);
    }
    throw new Error(`row ${row} did not load`);
  };

  beforeAll(async () => {
    const executablePath = requireChromium();
    built = buildConsole();
    elsewhere = await serveElsewhere(built.dir);
    const db = await createTestDatabase();
    await seedDemo(db.url);
    [{ id: orgId }] = await sql<{ id: number }>(
      db.url,
      `SELECT id FROM organizations WHERE slug = 'acme'`,
    );
    await sql(
      db.url,
      `INSERT INTO documents (organization_id, folder_id, document_type_id, title, status, file_name, mime_type,
                              size_bytes, page_count, document_date, created_by, created_on)
       SELECT $1, (SELECT min(id) FROM folders WHERE organization_id = $1 AND system_key = 'inbox'),
              (SELECT min(id) FROM document_types WHERE organization_id = $1),
              'Bulk letter ' || lpad(g::text, 5, '0'), (ARRAY['active', 'draft', 'archived'])[1 + g % 3],
              'bulk-' || g || '.pdf', 'application/pdf', 1000 + g, 1, current_date,
              (SELECT min(id) FROM users WHERE organization_id = $1), now() - (g || ' minutes')::interval
       FROM generate_series(1, $2::int) AS g`,
      [orgId, EXTRA_DOCUMENTS],
    );
    await sql(db.url, 'ANALYZE documents');
    t = await startTestApp(
      {
        APP_ROLE: 'all',
        BATCH_SWEEP_INTERVAL_MS: '500',
        CORS_ORIGINS: elsewhere.origin,
      },
      db,
    );
    apiUrl = await listen(t.app);
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('pageerror', (e) => {
      errors.push(e.message);
      faults.push(e.message);
    });
    page.on('console', (m) => {
      if (m.type() !== 'error' && m.type() !== 'warning') return;
      errors.push(m.text());
      // AG Grid reports a missing module or a wrong option this way.
      if (/AG Grid/i.test(m.text())) faults.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await t?.db.drop();
    await elsewhere?.server.close();
    built?.remove();
  });

  afterEach(async () => {
    // What the page said, for a failing step (and its picture).
    if (errors.length > 0)
      process.stderr.write(`browser errors:\n${errors.splice(0).join('\n')}\n`);
    await page?.screenshot({ path: join(shots, 'console-last-step.png') });
    expect(faults.splice(0)).toEqual([]);
  });

  it('signs in from another origin (CORS) and opens the documents grid with its total', async () => {
    await page.goto(`${elsewhere.origin}/?api=${encodeURIComponent(apiUrl)}`);
    await page.fill('input[name=email]', 'admin@acme.example');
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('#nav a[href="#/grid/documents"]');
    await page.goto(`${elsewhere.origin}/?api=${encodeURIComponent(apiUrl)}#/grid/documents`);
    await cell(0, 'title').waitFor();
    await until(async () => /rows/.test((await page.textContent('[data-testid=total]')) ?? ''));
    const total = await page.textContent('[data-testid=total]');
    const [{ n }] = await sql<{ n: number }>(
      t.db.url,
      'SELECT count(*)::int AS n FROM documents WHERE organization_id = $1',
      [orgId],
    );
    // Exact or estimated, the figure is near the real count and says which it is.
    expect(total).toMatch(/^(≈ )?[\d,.]+ rows( \(estimated\))?$/);
    const shown = Number((total ?? '').replace(/[^\d]/g, ''));
    expect(Math.abs(shown - n)).toBeLessThan(n * 0.2);
  });

  it('sorts by a header click, as the API sorts', async () => {
    await page.click('.ag-header-cell[col-id="title"] .ag-header-cell-label');
    await until(
      async () =>
        (await page.getAttribute('.ag-header-cell[col-id="title"]', 'aria-sort')) === 'ascending',
    );
    const [first] = await sql<{ title: string }>(
      t.db.url,
      'SELECT title FROM documents WHERE organization_id = $1 ORDER BY title, id LIMIT 1',
      [orgId],
    );
    await expect(waitText(cell(0, 'title'), first.title)).resolves.toBe(first.title);
    await shot('grid', 'console-grid.png');
    // Column choice: a column unticked leaves the header, ticked comes back.
    await page.click('[data-testid=columns-button]');
    const fileName = page.locator('.columns-menu input[value="fileName"]');
    await fileName.uncheck();
    await until(
      async () => (await page.locator('.ag-header-cell[col-id="fileName"]').count()) === 0,
    );
    await fileName.check();
    await page.locator('.ag-header-cell[col-id="fileName"]').waitFor();
    await page.click('[data-testid=columns-button]');
  });

  it('filters through a set filter filled from /values with counts', async () => {
    await page.click('.ag-header-cell[col-id="status"] .ag-header-cell-filter-button');
    const archived = page.locator('.set-filter-list label', { hasText: 'archived' });
    await archived.waitFor();
    const [{ n }] = await sql<{ n: number }>(
      t.db.url,
      `SELECT count(*)::int AS n FROM documents WHERE organization_id = $1 AND status = 'archived'`,
      [orgId],
    );
    // The count beside the value is the API's, under the caller's scope.
    expect(await archived.locator('.count').textContent()).toBe(n.toLocaleString('en-US'));
    await archived.locator('input').check();
    const filtered = `${n.toLocaleString('en-US')} rows`;
    await until(async () => (await page.textContent('[data-testid=total]')) === filtered);
    await page.keyboard.press('Escape');
    const statuses = await page.locator('.ag-row .ag-cell[col-id="status"]').allTextContents();
    expect(statuses.length).toBeGreaterThan(5);
    expect(new Set(statuses)).toEqual(new Set(['archived']));
    await shot('set-filter');
    // Cleared again for the next steps.
    await page.click('.ag-header-cell[col-id="status"] .ag-header-cell-filter-button');
    await page.click('.set-filter button');
    await page.keyboard.press('Escape');
  });

  it('filters by text with the contains operator', async () => {
    await page.click('.ag-header-cell[col-id="title"] .ag-header-cell-filter-button');
    const input = page.locator('.ag-filter-body input').first();
    await input.waitFor();
    await input.fill('letter 0001');
    const [{ n }] = await sql<{ n: number }>(
      t.db.url,
      `SELECT count(*)::int AS n FROM documents WHERE organization_id = $1 AND title ILIKE '%letter 0001%'`,
      [orgId],
    );
    const filtered = `${n.toLocaleString('en-US')} rows`;
    await until(
      async () => (await page.textContent('[data-testid=total]')) === filtered,
      'text filter',
    );
    await page.keyboard.press('Escape');
    const titles = await page.locator('.ag-row .ag-cell[col-id="title"]').allTextContents();
    expect(titles.length).toBe(n);
    expect(titles.every((x) => x.includes('letter 0001'))).toBe(true);
    await page.click('.ag-header-cell[col-id="title"] .ag-header-cell-filter-button');
    await page.locator('.ag-filter-body input').first().fill('');
    await until(
      async () => (await page.textContent('[data-testid=total]')) !== filtered,
      'filter cleared',
    );
    await page.keyboard.press('Escape');
  });

  it('scrolls 2,000 rows deep, page by page by cursor', async () => {
    await idOf(0);
    await cell(0, 'id').hover();
    const deep = page.locator('.ag-row[row-index="2000"] .ag-cell[col-id="title"]').first();
    // The grid grows a block at a time as each page arrives: wheel until row 2,000 is drawn.
    const started = Date.now();
    while ((await deep.count()) === 0 && Date.now() - started < 60_000) {
      await page.mouse.wheel(0, 3000);
      await page.waitForTimeout(100);
    }
    await deep.waitFor();
    // Sorted by title: row 2,000 is the 2,001st title in the database's order.
    const [want] = await sql<{ title: string }>(
      t.db.url,
      'SELECT title FROM documents WHERE organization_id = $1 ORDER BY title, id OFFSET 2000 LIMIT 1',
      [orgId],
    );
    expect(await waitText(deep, want.title)).toBe(want.title);
    await shot('deep-scroll');
  }, 120_000);

  it('edits a cell with its version, and shows a 409 as changed by someone else', async () => {
    await page.goto(`${elsewhere.origin}/?api=${encodeURIComponent(apiUrl)}#/grid/folders`);
    await page.goto(`${elsewhere.origin}/?api=${encodeURIComponent(apiUrl)}#/grid/documents`);
    const title = cell(0, 'title');
    const id = await idOf(0);
    await title.dblclick();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Edited in the browser');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=banner][data-kind=ok]');
    const [saved] = await sql<{ title: string; version: number }>(
      t.db.url,
      'SELECT title, version FROM documents WHERE id = $1',
      [id],
    );
    expect(saved).toEqual({ title: 'Edited in the browser', version: 2 });

    // Someone else saves row 1 after the page read it: the page's version is stale.
    const other = await idOf(1);
    await sql(t.db.url, 'UPDATE documents SET version = version + 1 WHERE id = $1', [other]);
    const patches: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => {
      if (r.method() === 'PATCH') patches.push(r.url());
    };
    page.on('request', onRequest);
    await cell(1, 'title').dblclick();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Lost update');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=banner][data-kind=conflict]');
    expect(await page.textContent('[data-testid=banner]')).toContain(
      'changed by someone else, reload',
    );
    await shot('conflict');
    const [kept] = await sql<{ title: string }>(
      t.db.url,
      'SELECT title FROM documents WHERE id = $1',
      [other],
    );
    expect(kept.title).not.toBe('Lost update');
  });

  it('assigns a mail to a candidate of the assignment route and changes its status', async () => {
    await page.goto(`${elsewhere.origin}/?api=${encodeURIComponent(apiUrl)}#/inbox`);
    await page.waitForSelector('[data-testid=inbox]');
    await page.selectOption('[data-testid=inbox-scope]', 'all');
    const first = page.locator('tr[data-mail-id]').first();
    await first.waitFor();
    const mailId = Number(await first.getAttribute('data-mail-id'));
    const assign = first.locator('[data-testid=assign]');
    await assign.focus();
    await until(async () => (await assign.locator('option').count()) > 1, 'assignment candidates');
    const userId = Number(await assign.locator('option').nth(1).getAttribute('value'));
    await assign.selectOption(String(userId));
    await page.waitForSelector('[data-testid=banner][data-kind=ok]');
    expect(await page.textContent('[data-testid=banner]')).toContain('Assigned');
    const row = page.locator(`tr[data-mail-id="${mailId}"]`);
    await row.locator('[data-testid=status]').selectOption('in_progress');
    await until(async () =>
      /in_progress/.test((await page.textContent('[data-testid=banner]')) ?? ''),
    );
    await shot('inbox');
    const [mail] = await sql<{ assigned_to: string; status: string }>(
      t.db.url,
      'SELECT assigned_to, status FROM mails WHERE id = $1',
      [mailId],
    );
    expect({ assignedTo: Number(mail.assigned_to), status: mail.status }).toEqual({
      assignedTo: userId,
      status: 'in_progress',
    });
  });

  it('uploads a CSV batch and follows its progress to the end', async () => {
    await page.goto(`${elsewhere.origin}/?api=${encodeURIComponent(apiUrl)}#/upload`);
    const lines = Array.from(
      { length: 40 },
      (_, i) => `"Letter ${i}, browser",sender${i}@post.example,normal`,
    );
    await page.fill('[data-testid=batch-name]', 'Browser upload');
    await page.setInputFiles('[data-testid=batch-file]', {
      name: 'letters.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['subject,sender,priority', ...lines].join('\n')),
    });
    await page.click('form.upload button[type=submit]');
    await until(
      async () => (await page.getAttribute('[data-testid=batch-figures]', 'data-done')) === 'true',
      'batch done',
    );
    expect(await page.textContent('[data-testid=batch-figures]')).toMatch(
      /^100% · 40 processed, 0 failed, 0 remaining/,
    );
    expect(await page.getAttribute('[data-testid=batch-progress]', 'value')).toBe('100');
    await shot('upload');
    const [batch] = await sql<{ status: string; n: number }>(
      t.db.url,
      `SELECT b.status, (SELECT count(*)::int FROM mails m WHERE m.batch_id = b.id) AS n
       FROM batches b WHERE b.name = 'Browser upload'`,
    );
    expect(batch).toEqual({ status: 'completed', n: 40 });
  });

  it('shows the pool gauge move on the dashboard while a load runs', async () => {
    await page.goto(`${elsewhere.origin}/?api=${encodeURIComponent(apiUrl)}#/dashboard`);
    const gauge = page.locator('[data-testid=pool-in-use]');
    await until(async () => (await gauge.getAttribute('data-value')) !== null, 'first poll');
    const before = Number(await gauge.getAttribute('data-peak'));
    const login = await fetch(`${apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@acme.example', password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    let loading = true;
    const worker = async () => {
      while (loading) {
        const res = await fetch(
          `${apiUrl}/api/documents?count=exact&limit=500&sort=-title&search=letter`,
          {
            headers: { Authorization: `Bearer ${token}` },
          },
        );
        await res.arrayBuffer();
      }
    };
    const load = Promise.all(Array.from({ length: 12 }, worker));
    try {
      await until(
        async () => Number(await gauge.getAttribute('data-peak')) > before,
        'pool in use above its idle reading',
      );
      await page.waitForTimeout(2500);
      await shot('dashboard', 'console-dashboard.png');
    } finally {
      loading = false;
      await load;
    }
    expect(Number(await gauge.getAttribute('data-peak'))).toBeGreaterThan(before);
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(5);
  });

  it('is served by Postroom itself at /console (same origin)', async () => {
    const own = await startTestApp({ CONSOLE_DIR: built.dir }, t.db);
    try {
      const url = await listen(own.app);
      const other = await browser.newPage();
      await other.goto(`${url}/console`);
      await other.waitForSelector('form.login');
      expect(await other.title()).toBe('Postroom console');
      await other.close();
    } finally {
      await own.close();
    }
  });
});

/** Waits until `check` holds (polling; the machine is shared, so no short deadline). */
async function until(check: () => Promise<boolean>, what = 'condition'): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not reached`);
}

/** The text of a locator once it equals `want` (or its last text after a while). */
async function waitText(loc: ReturnType<Page['locator']>, want: string): Promise<string> {
  let last = '';
  for (let i = 0; i < 100; i++) {
    last = (await loc.textContent()) ?? '';
    if (last === want) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}
