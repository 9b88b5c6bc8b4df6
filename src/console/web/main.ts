import type { Actor } from '../../shared/actor';
import { Api, ApiProblem } from './api';
import type { AppContext, Page } from './app';
import { bilingual, byId, h, replace, type Child } from './dom';
import { dateTime } from './format';
import { ROLE_LABELS } from './labels';
import { LiveFeed, type LiveStatus } from './live';
import { deadlinesPage } from './pages/deadlines';
import { inboxPage } from './pages/inbox';
import { livePage } from './pages/live';
import { recordSeizurePage } from './pages/record';
import { seizurePage } from './pages/seizure';
import { seizuresPage } from './pages/seizures';
import { signInPage } from './pages/sign-in';
import { statementPage } from './pages/statement';
import { treasuryPage } from './pages/treasury';
import { verifyPage } from './pages/verify';
import { problemBox } from './ui';
import { may } from './permissions';
import { forgetToken, scopeText, storedToken, storeToken, tokenExpiry, type Session } from './session';

/**
 * The console's shell: the routes (in the URL's hash, so no console path can ever shadow an API
 * route such as /seizures/:id), the header with who is signed in, and the live feed.
 */

interface Route {
  pattern: RegExp;
  names: readonly string[];
  page: () => Page;
  /** Open without signing in. */
  open?: boolean;
  /** Shown in the navigation when this holds for the signed-in user. */
  nav?: { href: string; label: Child; when?: (roles: readonly string[]) => boolean };
}

const ROUTES: readonly Route[] = [
  { pattern: /^\/seizures$/, names: [], page: seizuresPage, nav: { href: '#/seizures', label: bilingual('Seizures', 'जब्ती') } },
  { pattern: /^\/seizures\/([0-9A-Fa-f-]{36})$/, names: ['seizureId'], page: seizurePage },
  {
    pattern: /^\/record$/,
    names: [],
    page: recordSeizurePage,
    nav: { href: '#/record', label: bilingual('Record', 'दर्ज करें'), when: (roles) => may(roles, 'recordSeizure') },
  },
  {
    pattern: /^\/inbox$/,
    names: [],
    page: inboxPage,
    nav: { href: '#/inbox', label: bilingual('Inbox', 'आवक'), when: (roles) => may(roles, 'acceptTransfer') },
  },
  { pattern: /^\/statement$/, names: [], page: statementPage, nav: { href: '#/statement', label: bilingual('Statement', 'विवरण') } },
  { pattern: /^\/treasury$/, names: [], page: treasuryPage, nav: { href: '#/treasury', label: bilingual('Treasury', 'कोषागार') } },
  { pattern: /^\/deadlines$/, names: [], page: deadlinesPage, nav: { href: '#/deadlines', label: bilingual('Deadlines', 'समय-सीमा') } },
  { pattern: /^\/live$/, names: [], page: livePage, nav: { href: '#/live', label: bilingual('Live', 'सजीव') } },
  { pattern: /^\/verify$/, names: [], page: verifyPage, open: true, nav: { href: '#/verify', label: bilingual('Verify', 'साक्ष्य जाँच') } },
  { pattern: /^\/signin$/, names: [], page: signInPage, open: true },
];

const DEFAULT_ROUTE = '#/seizures';

let session: Session | null = null;
let current: { page: Page; context: AppContext } | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
let noticeTimer: ReturnType<typeof setTimeout> | undefined;
const live = new LiveFeed();

const api = new Api({
  token: () => session?.token ?? null,
  onUnauthorized: (problem) => signOut(`Signed out: ${problem.detail || 'the token is no longer accepted'}.`),
});

/** Tells the user what happened, in the live region above the page (never over it), for a few seconds. */
function notify(message: string): void {
  const notice = byId('notice');
  const text = document.createElement('p');
  text.textContent = message;
  notice.replaceChildren(text);
  notice.classList.add('visible');
  if (noticeTimer !== undefined) clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    notice.classList.remove('visible');
    notice.replaceChildren();
  }, 8000);
}

function parseHash(): { path: string; query: URLSearchParams } {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : DEFAULT_ROUTE.slice(1);
  const [path, query = ''] = hash.split('?', 2);
  return { path, query: new URLSearchParams(query) };
}

function renderHeader(path: string): void {
  const roles = session?.actor.roles ?? [];
  const links = ROUTES.filter((route) => route.nav && (route.open || session) && (route.nav.when?.(roles) ?? true)).map((route) => {
    const nav = route.nav as NonNullable<Route['nav']>;
    const target = nav.href.slice(1);
    const active = path === target || path.startsWith(`${target}/`);
    return h('li', null, h('a', { href: nav.href, 'aria-current': active ? 'page' : null }, nav.label));
  });
  replace(byId('nav'), h('ul', null, links));

  const who = byId('who');
  if (!session) {
    replace(who, path === '/signin' ? null : h('a', { href: '#/signin', class: 'button' }, bilingual('Sign in', 'प्रवेश')));
    return;
  }
  const { actor, expiresAt } = session;
  replace(
    who,
    h(
      'details',
      { class: 'who-details' },
      h(
        'summary',
        { 'aria-label': `Signed in as ${actor.name}: details and sign out` },
        h('span', { class: 'who-name' }, actor.name),
        h('span', { class: 'who-unit' }, `${actor.roles.map((role) => ROLE_LABELS[role].en).join(', ')} · ${actor.unit}`),
      ),
      h(
        'div',
        { class: 'who-panel' },
        h(
          'dl',
          null,
          h('dt', null, 'Roles'),
          h('dd', null, actor.roles.map((role) => `${ROLE_LABELS[role].en} (${ROLE_LABELS[role].hi})`).join(', ')),
          h('dt', null, 'Unit'),
          h('dd', null, `${actor.unit} (${actor.agency.replace(/_/g, ' ')})`),
          h('dt', null, 'Scope'),
          h('dd', null, scopeText(actor.scope)),
          h('dt', null, 'User id'),
          h('dd', null, actor.sub),
          expiresAt ? [h('dt', null, 'Token expires'), h('dd', null, dateTime(expiresAt.toISOString()))] : null,
        ),
        h(
          'button',
          { type: 'button', class: 'secondary', id: 'sign-out', onclick: () => signOut('Signed out.') },
          bilingual('Sign out', 'निकास'),
        ),
      ),
    ),
  );
}

function showLiveStatus(status: LiveStatus): void {
  const text: Record<LiveStatus, string> = {
    connecting: 'Live feed: connecting…',
    live: 'Live feed: on — pages update as events arrive',
    reconnecting: 'Live feed: reconnecting…',
    offline: session ? 'Live feed: off (retrying)' : '',
  };
  const element = byId('live-status');
  element.textContent = text[status];
  element.dataset.status = status;
}

async function route(moved: boolean): Promise<void> {
  const { path, query } = parseHash();
  const found = ROUTES.map((r) => ({ r, match: r.pattern.exec(path) })).find((x) => x.match !== null);
  if (!found || !found.match) {
    location.replace(DEFAULT_ROUTE);
    return;
  }
  if (!session && !found.r.open) {
    location.replace(`#/signin?next=${encodeURIComponent(location.hash.slice(1))}`);
    return;
  }
  const params = Object.fromEntries(found.r.names.map((name, i) => [name, found.match?.[i + 1] ?? '']));
  current?.page.dispose?.();
  const page = found.r.page();
  const context: AppContext = {
    api,
    session,
    params,
    query,
    navigate: (hash) => {
      if (location.hash === hash) void route(false);
      else location.hash = hash;
    },
    notify,
    live,
    signIn,
  };
  current = { page, context };
  renderHeader(path);
  const main = byId('main');
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  main.setAttribute('aria-busy', 'true');
  try {
    await page.render(main, context);
  } catch (error) {
    if (current?.page !== page) return;
    replace(main, h('h1', { tabindex: -1 }, page.title), problemBox(error));
  } finally {
    main.removeAttribute('aria-busy');
  }
  if (current?.page !== page) return;
  document.title = `${page.title} — Seizure Custody Ledger`;
  // A new page is announced by moving focus to its heading, as a page load would.
  if (moved) main.querySelector<HTMLElement>('h1')?.focus();
}

function scheduleExpiry(expiresAt: Date | null): void {
  if (expiryTimer !== undefined) clearTimeout(expiryTimer);
  if (!expiresAt) return;
  const ms = expiresAt.getTime() - Date.now();
  // setTimeout holds at most ~24.8 days; longer tokens are checked by the server anyway.
  if (ms < 2 ** 31 - 1) expiryTimer = setTimeout(() => signOut('Signed out: the token has expired.'), Math.max(0, ms));
}

function signIn(next: Session): void {
  session = next;
  storeToken(next.token);
  scheduleExpiry(next.expiresAt);
  live.connect(next.token);
}

function signOut(message: string): void {
  session = null;
  forgetToken();
  live.disconnect();
  scheduleExpiry(null);
  notify(message);
  location.hash = '#/signin';
  void route(true);
}

async function restoreSession(): Promise<void> {
  const token = storedToken();
  if (token === null) return;
  try {
    // Not through `api`, which sends the token of the session being restored: there is none yet.
    const probe = new Api({ token: () => token, onUnauthorized: () => undefined });
    session = { token, actor: await probe.get<Actor>('/session'), expiresAt: tokenExpiry(token) };
    scheduleExpiry(session.expiresAt);
    live.connect(token);
  } catch (error) {
    session = null;
    if (error instanceof ApiProblem && error.status === 401) forgetToken();
    else notify(`Could not check the saved sign-in: ${(error as Error).message}`);
  }
}

async function start(): Promise<void> {
  byId('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    byId('main').focus();
  });
  live.onStatus(showLiveStatus);
  live.onEvent((event) => {
    api.sawPosition(event.globalPosition);
    if (current) current.page.onLiveEvent?.(event, current.context);
  });
  await restoreSession();
  window.addEventListener('hashchange', () => void route(true));
  await route(false);
}

void start();
