import { withoutBidiControls } from '../../domain/bidi';

/**
 * The one escaping rule of the web pages: every value interpolated into `html` is escaped unless it is
 * already SafeHtml, so free text from signals, answers and the register can never become markup.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

// C0 controls except tab, LF and CR, DEL, C1 controls, and lone surrogates: invisible or invalid in HTML
// (NUL is even dropped by parsers), so they are shown as U+FFFD instead of smuggled through.
const UNSAFE_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Safe in element content and in quoted attribute values alike. Bidirectional controls are removed
 * (domain/bidi.ts): every text a page shows passes here, so no breach summary can read reversed.
 */
export function escapeHtml(value: string): string {
  return withoutBidiControls(value.replace(UNSAFE_CHARACTERS, '\uFFFD')).replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`; nested `html` results and arrays of them pass as markup. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Markup that is trusted by construction (our own stylesheet and script); never pass user input. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Optional attribute: ` name="value"`, or nothing when the value is absent or false. */
export function attr(name: string, value: string | number | boolean | undefined | null): SafeHtml {
  if (value === undefined || value === null || value === false) return new SafeHtml('');
  if (value === true) return new SafeHtml(` ${name}`);
  return new SafeHtml(` ${name}="${escapeHtml(String(value))}"`);
}

/** Keeps table cells and list items readable when a signal carries a novel: the full text is on the breach page. */
export function truncate(text: string, max = 280): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
