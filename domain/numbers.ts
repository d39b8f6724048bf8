import type { Language } from './language';

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
