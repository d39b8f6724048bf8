import { englishText } from './components';
import { html } from './html';
import { texts } from './i18n';
import { href, renderLayout, type PageContext } from './layout';

/** What went wrong, for people: the kinds the pages can run into. */
export type PageErrorKind = 'not-found' | 'forbidden' | 'expired' | 'server';

/**
 * An error in the site's frame, so someone who followed a stale link or lacks a role keeps the navigation.
 * `detail` is the server's own message (English, names the role or field), shown beneath the explanation;
 * `translated` when it is already in the page's language (a coded refusal, client/web/error-texts.ts).
 */
export function renderErrorPage(kind: PageErrorKind, page: PageContext, detail?: string, translated = false): string {
  const { lang } = page;
  const t = texts(lang);
  const words: Record<PageErrorKind, readonly [title: string, text: string]> = {
    'not-found': [t.notFoundTitle, t.notFoundText],
    forbidden: [t.forbiddenTitle, t.forbiddenText],
    expired: [t.sessionExpiredTitle, t.sessionExpiredText],
    server: [t.serverErrorTitle, t.serverErrorText],
  };
  const [title, text] = words[kind];
  const body = html`<h1>${title}</h1>
<p class="lead">${text}</p>
${detail ? html`<p><span class="muted">${t.serverSaid}:</span> ${translated ? detail : englishText(detail, lang)}</p>` : ''}
<p><a href="${href('/', lang)}">${t.toDashboard}</a></p>`;
  return renderLayout({ ...page, title, body });
}
