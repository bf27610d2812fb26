import './console.css';
import type { Schemas } from '../../client';
import { api, ok, storeToken, storedToken } from './api';
import { dashboardPage } from './dashboard';
import { gridPage } from './grid-page';
import { inboxPage } from './inbox';
import { MODULES } from './modules';
import { el, errorText } from './ui';
import { uploadPage } from './upload';

type Me = Schemas['MeDto'];

const nav = document.getElementById('nav') as HTMLElement;
const main = document.getElementById('main') as HTMLElement;
let me: Me | null = null;
let leave: (() => void) | undefined;

function loginPage(): void {
  const email = el('input', {
    type: 'email',
    name: 'email',
    placeholder: 'E-mail',
    required: true,
  });
  const password = el('input', {
    type: 'password',
    name: 'password',
    placeholder: 'Password',
    required: true,
  });
  const error = el('p', { className: 'error', 'data-testid': 'login-error' });
  const form = el(
    'form',
    { className: 'login' },
    el('h1', {}, 'Sign in to Postroom'),
    email,
    password,
    el('button', { type: 'submit' }, 'Sign in'),
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    api()
      .POST('/api/auth/login', { body: { email: email.value, password: password.value } })
      .then((r) => {
        storeToken(ok(r).token);
        location.hash = '#/';
        return start();
      })
      .catch((err: unknown) => {
        error.textContent = errorText(err);
      });
  });
  nav.replaceChildren();
  main.replaceChildren(form);
}

function link(hash: string, text: string): HTMLAnchorElement {
  return el('a', { href: hash, className: location.hash === hash ? 'active' : '' }, text);
}

function renderNav(): void {
  if (!me) return;
  const signOut = el('button', { type: 'button', className: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', () => {
    storeToken(null);
    me = null;
    loginPage();
  });
  const tabs = me.tabs as string[];
  nav.replaceChildren(
    el('strong', {}, 'Postroom'),
    ...(tabs.includes('mail') ? [link('#/inbox', 'Inbox')] : []),
    ...MODULES.filter((m) => tabs.includes(m.tab)).map((m) => link(`#/grid/${m.slug}`, m.title)),
    ...(tabs.includes('batch') ? [link('#/upload', 'Upload')] : []),
    ...(me.adminHub ? [link('#/dashboard', 'Dashboard')] : []),
    el('span', { className: 'who' }, me.user.email),
    signOut,
  );
}

async function route(): Promise<void> {
  leave?.();
  leave = undefined;
  renderNav();
  const [, page, arg] = location.hash.replace(/^#\/?/, '#/').split('/');
  // Each page renders into a box of its own: a slower page still loading when the
  // next one opens draws into its detached box, never over the new page.
  const view = el('div');
  main.replaceChildren(view);
  try {
    switch (page) {
      case 'grid': {
        const grid = MODULES.find((m) => m.slug === arg);
        if (grid) {
          const destroy = await gridPage(view, grid);
          // Opened late (another page already shown): gone at once.
          if (view.isConnected) leave = destroy;
          else destroy();
          return;
        }
        break;
      }
      case 'inbox':
        return await inboxPage(view);
      case 'upload':
        return uploadPage(view);
      case 'dashboard':
        leave = dashboardPage(view);
        return;
    }
    const first = MODULES.find((m) => (me?.tabs as string[] | undefined)?.includes(m.tab));
    location.hash = first ? `#/grid/${first.slug}` : '#/inbox';
  } catch (err) {
    view.replaceChildren(el('p', { className: 'error' }, errorText(err)));
  }
}

async function start(): Promise<void> {
  if (!storedToken()) return loginPage();
  try {
    me = ok(await api().GET('/api/me'));
  } catch {
    storeToken(null);
    return loginPage();
  }
  await route();
}

window.addEventListener('hashchange', () => void (me ? route() : start()));
void start();
