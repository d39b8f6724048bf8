import type { Language } from './language';
import { wallClock } from './amsterdam-clock';

/**
 * Numbers and lists inside sentences, as each language writes them: 1.234 and 4,75 in Dutch, 1,234 and 4.75 in
 * English. Plain string work, not Intl: workflow code renders these too, and must not depend on the host's ICU.
 */
export function formatNumber(value: number, lang: Language): string {
  const [whole = '', fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'nl' ? '.' : ',');
  const sign = value < 0 ? '-' : '';
  return `${sign}${grouped}${fraction === undefined ? '' : `${lang === 'nl' ? ',' : '.'}${fraction}`}`;
}

/** "a, b and c" / "a, b en c". */
export function joinList(items: readonly string[], lang: Language): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${lang === 'nl' ? 'en' : 'and'} ${items.at(-1)}`;
}

/**
 * An instant inside a sentence, on the Amsterdam wall clock: "28-11-2026 09:30" in Dutch, "28/11/2026 09:30" in
 * English. Anything that is not an instant is returned as it is.
 */
export function formatInstant(iso: string, lang: Language): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const wall = new Date(wallClock(ms)).toISOString();
  const [date = '', time = ''] = wall.split('T');
  const [y, m, d] = date.split('-');
  return `${d}${lang === 'nl' ? '-' : '/'}${m}${lang === 'nl' ? '-' : '/'}${y} ${time.slice(0, 5)}`;
}
