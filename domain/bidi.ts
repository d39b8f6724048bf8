/**
 * Unicode's bidirectional formatting characters: the embeddings and overrides (U+202A–U+202E), the isolates
 * (U+2066–U+2069) and the invisible direction marks (U+200E, U+200F, U+061C). In free text from outside they make
 * a line read differently from what it says ("Trojan Source": "invoice_fdp.exe" shown as "invoice_exe.pdf", an
 * amount or an address shown reversed). lekdicht's texts never need them, so they are removed from everything a
 * person reads: pages (client/web/html.ts escapeHtml), emails and letters (domain/letters.ts cleanText) and CSV
 * cells (domain/csv.ts). Right-to-left script itself (Arabic, Hebrew) is kept; browsers and mail readers lay it
 * out by its own characters.
 */
// Not exported: a workflow worker freezes what domain/ exports (workflows/preload.ts), and a frozen global
// RegExp cannot be used (replace() resets its lastIndex).
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The text without bidirectional controls (and nothing else changed). */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** A UTF-16 surrogate without its partner: what UTF-8 output turns into U+FFFD anyway. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Lone surrogates become U+FFFD *before* the controls go: otherwise removing a control between a lone high and a
 * lone low surrogate would join them into a character that was never in the text.
 */
export function stripBidiControls(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(BIDI_CONTROLS, '');
}
