/**
 * Unicode's bidirectional formatting characters: the embeddings and overrides (U+202A–U+202E), the isolates
 * (U+2066–U+2069) and the invisible direction marks (U+200E, U+200F, U+061C). In free text from outside they make
 * a line read differently from what it says ("Trojan Source": "invoice_fdp.exe" shown as "invoice_exe.pdf", an
 * amount or an address shown reversed). lekdicht's texts never need them, so they are removed from everything a
 * person reads: pages (client/web/html.ts escapeHtml), emails and letters (domain/letters.ts cleanText) and CSV
 * cells (domain/csv.ts). Right-to-left script itself (Arabic, Hebrew) is kept; browsers and mail readers lay it
 * out by its own characters.
 */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
