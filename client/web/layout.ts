import { SCRIPT, STYLESHEET } from './assets';
import { attr, html, trusted, type SafeHtml } from './html';
import { texts } from './i18n';
import { actionTexts } from './action-texts';
import type { Language } from '../../domain/language';
import { PRACTICE_NOTICE } from '../../domain/practice';

export interface PageUser {
  email: string;
  name?: string;
}

/** What every page needs besides its data; the HTTP layer builds it per request. */
export interface PageContext {
  lang: Language;
  /** The person logged in; without one the navigation and logout are left out (e.g. the login page). */
  user?: PageUser;
  /** The session's CSRF token, for the logout form and task forms (field `_csrf`). */
  csrfToken?: string;
  /** Path and query of this request ("/register?status=open"), for the language switch. */
  url?: string;
  /** A CSP nonce for the inline style and script, if the HTTP layer uses nonces rather than CSP_HASHES. */
  nonce?: string;
  /** "Now" in ms, so a page (and a test) renders the time left as of one moment; default Date.now(). */
  now?: number;
  /** Practice mode (config `practice`): every page says so at its top, so nobody takes an exercise for a breach. */
  practice?: boolean;
}

export type NavItem = 'dashboard' | 'tasks' | 'register' | 'new-breach';

export interface LayoutOptions extends PageContext {
  title: string;
  body: SafeHtml;
  current?: NavItem;
  /** Labels for the countdown script (units, "late", urgency names). */
  countdown?: Record<string, unknown>;
}

/** An internal link that keeps the page language: `lang=en` travels along, Dutch is the default. */
export function href(path: string, lang: Language, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, value);
  if (lang === 'en') query.set('lang', 'en');
  const q = query.toString();
  return q ? `${path}?${q}` : path;
}

/** One path segment from data (a breach or task id); lone surrogates would make encodeURIComponent throw. */
export function segment(value: string): string {
  return encodeURIComponent(
    value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );
}

/** The same page in the other language: the current path and query with `lang` switched. */
function switchLanguageHref(url: string | undefined, to: Language): string {
  const parsed = new URL(url ?? '/', 'http://page.invalid');
  if (to === 'en') parsed.searchParams.set('lang', 'en');
  else parsed.searchParams.delete('lang');
  const q = parsed.searchParams.toString();
  // "//host" would be a link to another site: only ever a path on this one.
  return `${parsed.pathname.replace(/^\/+/, '/')}${q ? `?${q}` : ''}`;
}

export function csrfField(token: string | undefined): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token ?? ''}">`;
}

/** The page frame shared by every page, the login page included: skip link, navigation, language, logout. */
export function renderLayout(options: LayoutOptions): string {
  const { lang, user, title, body, current } = options;
  const t = texts(lang);
  const other: Language = lang === 'nl' ? 'en' : 'nl';
  const nav = (item: NavItem, path: string, label: string) =>
    html`<li><a href="${href(path, lang)}"${attr('aria-current', current === item ? 'page' : undefined)}>${label}</a></li>`;
  const countdown = JSON.stringify(options.countdown ?? {});
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · ${t.appName}</title>
<style${attr('nonce', options.nonce)}>${trusted(STYLESHEET)}</style>
</head>
<body data-countdown="${countdown}">
<a class="skip-link" href="#main">${t.skipToContent}</a>
${options.practice ? html`<div class="practice-banner" role="note"><p class="wrap">${PRACTICE_NOTICE[lang]}</p></div>` : ''}
<header class="site-header">
<div class="wrap">
<a class="brand" href="${href('/', lang)}">${t.appName}</a>
${user ? html`<nav aria-label="${t.mainNavigation}"><ul>${nav('dashboard', '/', t.navDashboard)}${nav('tasks', '/tasks', t.navMyTasks)}${nav('register', '/register', t.navRegister)}${nav('new-breach', '/breaches/new', actionTexts(lang).newBreachLink)}</ul></nav>` : ''}
<div class="account">
<a href="${switchLanguageHref(options.url, other)}" lang="${other}" hreflang="${other}" aria-label="${t.otherLanguageLabel}">${t.otherLanguage}</a>
${
  user
    ? html`<span><span class="visually-hidden">${t.loggedInAs} </span>${user.name ?? user.email}</span>
<form method="post" action="${href('/logout', lang)}">${csrfField(options.csrfToken)}<button type="submit">${t.logout}</button></form>`
    : ''
}
</div>
</div>
</header>
<main id="main" tabindex="-1" class="wrap">
${body}
</main>
<footer class="wrap"><p>${t.footer}</p></footer>
<script${attr('nonce', options.nonce)}>${trusted(SCRIPT)}</script>
</body>
</html>
`.value;
}
