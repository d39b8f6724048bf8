import type { Page } from 'playwright-core';
import { toDutchInput, toLocalInput } from '../../client/web/time';

/** The answer as (field name, value) pairs: field names are the answer's paths, as the generated forms name them. */
function fields(value: unknown, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  const join = (key: string | number) => (prefix === '' ? String(key) : `${prefix}.${key}`);
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))
  ) {
    value.forEach((row, i) => fields(row, join(i), out));
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) fields(v, join(key), out);
  } else {
    out.push([prefix, value]);
  }
  return out;
}

/**
 * Fills an open task form the way a person would, control by control (radios checked, selects chosen,
 * date-times typed in Amsterdam time, one list item per line), asking for extra rows with the form's own
 * "add another row" button when the answer has more rows than the form shows.
 */
export async function fillTaskForm(page: Page, answer: unknown): Promise<void> {
  const wanted = fields(answer);
  for (let round = 0; ; round++) {
    const missing: string[] = [];
    for (const [name, value] of wanted) {
      const controls = page.locator(`form.task [name="${name}"]`);
      if ((await controls.count()) === 0) {
        missing.push(name);
        continue;
      }
      const kind: string = await controls
        .first()
        .evaluate((el: { tagName: string; getAttribute(name: string): string | null }) =>
          el.tagName !== 'INPUT'
            ? el.tagName.toLowerCase()
            : el.getAttribute('class') === 'datetime'
              ? 'datetime'
              : (el.getAttribute('type') ?? 'text'),
        );
      if (kind === 'radio') await page.locator(`form.task [name="${name}"][value="${String(value ?? '')}"]`).check();
      else if (kind === 'checkbox') {
        for (const v of Array.isArray(value) ? value : [value]) {
          await page
            .locator(`form.task [name="${name}"]${Array.isArray(value) ? `[value="${String(v)}"]` : ''}`)
            .check();
        }
      } else if (kind === 'select') await controls.first().selectOption(String(value));
      else if (kind === 'datetime-local') await controls.first().fill(toLocalInput(String(value)) ?? String(value));
      // Typed as a person reads the hint beside it: day first, Amsterdam time.
      else if (kind === 'datetime') await controls.first().fill(toDutchInput(String(value)) ?? String(value));
      else if (Array.isArray(value)) await controls.first().fill(value.map(String).join('\n'));
      else await controls.first().fill(String(value));
    }
    if (missing.length === 0) return;
    if (round >= 5) throw new Error(`the form has no field for ${missing.join(', ')}`);
    await page.locator('form.task button[name="_intent"][value="add-row"]').click();
    await page.waitForLoadState();
  }
}
