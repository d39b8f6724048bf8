import type { Language } from '../../domain/language';
import { attr, html, type SafeHtml } from './html';
import { texts } from './i18n';

/** A person an owner field offers. */
export interface DirectoryChoice {
  email: string;
  name: string;
}

/**
 * An improvement action's owner is one of the directory's people: a select, so no address outside it can be
 * typed (the completion check refuses one that arrives otherwise, at this field).
 */
export function ownerSelect(
  field: { id: string; path: string; label: SafeHtml; required: boolean },
  f: { markup: SafeHtml; errorClass: string; invalid: SafeHtml },
  described: SafeHtml,
  options: { value: string; people: readonly DirectoryChoice[] | undefined; lang: Language },
): SafeHtml {
  const current = options.value.trim().toLowerCase();
  const people = options.people ?? [];
  // A value from elsewhere (the API, an old answer) stays visible, so its error can be read and corrected.
  const stranger = current !== '' && !people.some((p) => p.email === current);
  return html`<div class="field${f.errorClass}">
<label for="${field.id}">${field.label}</label>
${f.markup}
<select id="${field.id}" name="${field.path}"${attr('required', field.required)}${described}${f.invalid}>
<option value="">${texts(options.lang).chooseOption}</option>
${stranger ? html`<option value="${current}" selected>${current}</option>` : ''}
${people.map((p) => html`<option value="${p.email}"${attr('selected', p.email === current)}>${p.name} (${p.email})</option>`)}
</select>
</div>`;
}
