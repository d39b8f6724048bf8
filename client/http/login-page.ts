import { stripBidiControls } from '../../domain/bidi';
import { parseLanguage, type Language } from '../../domain/language';
import { PRACTICE_NOTICE } from '../../domain/practice';

/** The minimal login pages (the full web pages live in client/web/). Dutch unless ?lang=en. */

const TEXT = {
  nl: {
    title: 'Inloggen — lekdicht',
    heading: 'Inloggen',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    submit: 'Inloggen',
    failed: 'E-mailadres of wachtwoord klopt niet.',
    throttled:
      'Te veel mislukte pogingen voor dit account. Probeer het over een kwartier opnieuw, of vraag uw beheerder om een inloglink.',
    linkTitle: 'Inloggen met een inloglink',
    linkIntro: 'Klik op de knop om in te loggen. Een inloglink werkt één keer en is kort geldig.',
    linkSubmit: 'Inloggen',
    linkFailed: 'Deze inloglink is ongeldig, al gebruikt of verlopen. Vraag een nieuwe aan.',
    oidc: 'Inloggen met uw organisatieaccount',
    oidcFailed: 'Inloggen is niet gelukt, of uw account staat niet in de lijst van lekdicht.',
    noPassword: 'Nog geen wachtwoord? Uw beheerder zet het met: npx lekdicht user set-password UW-E-MAILADRES',
    loggedOut: 'U bent uitgelogd.',
  },
  en: {
    title: 'Log in — lekdicht',
    heading: 'Log in',
    email: 'Email address',
    password: 'Password',
    submit: 'Log in',
    failed: 'Email address or password is not right.',
    throttled:
      'Too many failed attempts for this account. Try again in a quarter of an hour, or ask your administrator for a login link.',
    linkTitle: 'Log in with a login link',
    linkIntro: 'Press the button to log in. A login link works once and expires soon.',
    linkSubmit: 'Log in',
    linkFailed: 'This login link is invalid, already used or expired. Ask for a new one.',
    oidc: 'Log in with your organisation account',
    oidcFailed: "Logging in failed, or your account is not in lekdicht's directory.",
    noPassword: 'No password yet? Your administrator sets it with: npx lekdicht user set-password YOUR-EMAIL',
    loggedOut: 'You are logged out.',
  },
} as const;

export const LOGIN_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function loginLang(query: unknown): Language {
  return parseLanguage((query as { lang?: unknown } | undefined)?.lang);
}

function esc(text: string): string {
  return stripBidiControls(text).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(lang: Language, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;line-height:1.5}label{display:block;margin-top:1rem;font-weight:600}input{display:block;width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}.error{border-left:4px solid #b00020;padding:.5rem 1rem;color:#b00020}.muted{color:#555;font-size:.9rem}</style>
</head><body><main>${body}</main></body></html>`;
}

export interface LoginPageState {
  lang: Language;
  csrfToken: string;
  next: string;
  method: 'password' | 'oidc';
  error?: 'failed' | 'throttled' | 'oidc-failed';
  email?: string;
  loggedOut?: boolean;
  /** Practice mode (config `practice`): the page says so first. */
  practice?: boolean;
}

export function renderLoginPage(state: LoginPageState): string {
  const t = TEXT[state.lang];
  const error = state.error
    ? `<p class="error" role="alert">${esc(t[state.error === 'oidc-failed' ? 'oidcFailed' : state.error])}</p>`
    : '';
  const notice = state.loggedOut ? `<p role="status">${esc(t.loggedOut)}</p>` : '';
  const form =
    state.method === 'oidc'
      ? `<p><a href="/auth/oidc/start?next=${encodeURIComponent(state.next)}">${esc(t.oidc)}</a></p>`
      : `<form method="post" action="/login${state.lang === 'en' ? '?lang=en' : ''}">
<input type="hidden" name="_csrf" value="${esc(state.csrfToken)}">
<input type="hidden" name="next" value="${esc(state.next)}">
<label for="email">${esc(t.email)}</label><input id="email" name="email" type="email" autocomplete="username" required value="${esc(state.email ?? '')}">
<label for="password">${esc(t.password)}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${esc(t.submit)}</button>
</form>
<p class="muted">${esc(t.noPassword)}</p>`;
  const practice = state.practice ? `<p role="note"><strong>${esc(PRACTICE_NOTICE[state.lang])}</strong></p>` : '';
  return page(state.lang, t.title, `${practice}<h1>${esc(t.heading)}</h1>${notice}${error}${form}`);
}

export function renderLoginLinkPage(state: {
  lang: Language;
  csrfToken: string;
  token: string;
  failed?: boolean;
}): string {
  const t = TEXT[state.lang];
  if (state.failed)
    return page(
      state.lang,
      t.title,
      `<h1>${esc(t.linkTitle)}</h1><p class="error" role="alert">${esc(t.linkFailed)}</p><p><a href="/login">${esc(t.heading)}</a></p>`,
    );
  return page(
    state.lang,
    t.title,
    `<h1>${esc(t.linkTitle)}</h1><p>${esc(t.linkIntro)}</p>
<form method="post" action="/login/link">
<input type="hidden" name="_csrf" value="${esc(state.csrfToken)}">
<input type="hidden" name="token" value="${esc(state.token)}">
<button type="submit">${esc(t.linkSubmit)}</button>
</form>`,
  );
}
