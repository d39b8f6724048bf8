import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, EXAMPLE_CONFIG, loadConfig } from '../../config/load';
import { isTestAddress, practiceRefusals } from '../../domain/practice';
import { checkRecipientRecords } from '../../domain/recipient-check';
import { renderRecipientsPage } from '../../client/web/recipients-page';
import { parseRecipientRows } from '../../domain/recipients';
import { HOUR_MS } from '../../domain/duration';

const MINUTE = 60_000;

/** A config file beside the example's directory and mail settings, with `extra` on top. */
function configFile(extra: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lekdicht-practice-')), 'config.yaml');
  writeFileSync(
    path,
    `organisation:\n  name: Oefengemeente\nsmtp:\n  from: "lekdicht <datalek@oefen.test>"\ndirectory:\n` +
      ['fg', 'ciso', 'process-owner', 'ict', 'executive-sponsor']
        .map((role) => `  - { name: ${role}, email: ${role}@oefen.test, roles: [${role}] }`)
        .join('\n') +
      `\n${extra}`,
  );
  return path;
}

describe('practice mode: short timers', () => {
  it('shortens every timer of the organisation to minutes, while the timing keys the file sets win', () => {
    const config = loadConfig({}, configFile('practice: true\ntiming:\n  impactDue: 2h\n'));
    expect(config.practice).toBe(true);
    expect(config.timing.triageDue).toBe(15 * MINUTE);
    expect(config.timing.containmentRecheck).toBe(2 * MINUTE);
    expect(config.timing.aftercareFollowUps).toEqual([2 * MINUTE, 4 * MINUTE]);
    expect(config.timing.evaluationAfter).toBe(2 * MINUTE);
    // Set in the file: kept.
    expect(config.timing.impactDue).toBe(2 * HOUR_MS);
    // Every timer a breach waits on is at most a quarter of an hour: a whole breach is walked in minutes.
    for (const [key, value] of Object.entries(config.timing)) {
      for (const ms of [value].flat())
        expect(ms, key).toBeLessThanOrEqual(key === 'impactDue' ? 2 * HOUR_MS : 20 * MINUTE);
    }
  });

  it('is off by default, with the usual timing', () => {
    const config = loadConfig({}, configFile(''));
    expect(config.practice).toBe(false);
    expect(config.timing.triageDue).toBe(4 * HOUR_MS);
    expect(config.timing.evaluationAfter).toBe(14 * 24 * HOUR_MS);
  });

  it('LEKDICHT_PRACTICE=1 or =0 wins over the file, and anything else is refused naming the variable', () => {
    expect(loadConfig({ LEKDICHT_PRACTICE: '1' }, configFile('')).timing.triageDue).toBe(15 * MINUTE);
    expect(loadConfig({ LEKDICHT_PRACTICE: '0' }, configFile('practice: true\n')).practice).toBe(false);
    expect(() => loadConfig({ LEKDICHT_PRACTICE: 'ja' }, configFile(''))).toThrow(
      new ConfigError('LEKDICHT_PRACTICE=ja: must be 1 or 0 (true or false)'),
    );
    expect(() => loadConfig({}, configFile('practice: yes please\n'))).toThrow(/practice: must be true or false/);
  });

  it('is on when lekdicht falls back to the example config (npm start on its defaults), not when it is named', () => {
    expect(loadConfig({}, EXAMPLE_CONFIG).practice).toBe(true);
    expect(loadConfig({}, EXAMPLE_CONFIG).timing.triageDue).toBe(15 * MINUTE);
    expect(loadConfig({ LEKDICHT_CONFIG: EXAMPLE_CONFIG }, EXAMPLE_CONFIG).practice).toBe(false);
    expect(loadConfig({ LEKDICHT_PRACTICE: '0' }, EXAMPLE_CONFIG).practice).toBe(false);
  });
});

describe('practice mode: letters only to test addresses', () => {
  it('knows the domains reserved for testing (RFC 2606, RFC 6761)', () => {
    for (const email of [
      'a@example.com',
      'a@mail.example.org',
      'a@example.net',
      'a@gemeente.example',
      'a@oefen.test',
      'a@x.invalid',
      'a@host.localhost',
      'A@EXAMPLE.COM',
    ])
      expect(isTestAddress(email), email).toBe(true);
    for (const email of ['a@gmail.com', 'a@example.nl', 'a@notexample.com', 'a@example.com.evil.nl', 'a@test.nl'])
      expect(isTestAddress(email), email).toBe(false);
  });

  it('refuses an upload with a real address in Dutch, naming the row and the domain, not the address', () => {
    const parsed = parseRecipientRows([
      { name: 'Test Persoon', email: 'test@oefen.test' },
      { name: 'Echte Persoon', email: 'jan.jansen@gmail.com' },
      { name: 'Post Persoon', address: 'Dorpsstraat 1, 1234 AB Ergens' },
    ]);
    expect(parsed.ok).toBe(true);
    const rows = parsed.ok ? parsed.rows : [];
    const errors = practiceRefusals(rows, 'nl');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      /^rij 3: email: in een oefening gaan brieven alleen naar testadressen .*"gmail.com" is een echt domein$/,
    );
    expect(errors[0]).not.toContain('jan.jansen');
    expect(errors[1]).toMatch(/^rij 4: email: in een oefening gaan brieven alleen per e-mail naar testadressen/);
    expect(practiceRefusals(rows, 'en')[0]).toMatch(/^row 3: email: in practice, letters go only to test addresses/);
    expect(practiceRefusals(rows.slice(0, 1), 'nl')).toEqual([]);
  });

  it('marks the rows of a web upload that could reach a real person, and accepts none of the file', () => {
    const records = [
      { name: 'Test Persoon', email: 'test@oefen.test', address: '', language: '' },
      { name: 'Echte Persoon', email: 'jan.jansen@gmail.com', address: '', language: '' },
      { name: 'Post Persoon', email: '', address: 'Dorpsstraat 1, 1234 AB Ergens', language: '' },
    ];
    const checked = checkRecipientRecords(records, { practice: true });
    expect(checked.rows.map((r) => [r.row, r.problems])).toEqual([
      [2, []],
      [3, ['practice-real-address']],
      [4, ['practice-postal']],
    ]);
    expect(checked.recipients).toBeUndefined();
    const page = renderRecipientsPage({ breachId: 'DL-2026-0001', text: 'x', checked }, { lang: 'nl', csrfToken: 't' });
    expect(page).toContain('Regel 3: Dit is een oefening: brieven gaan alleen naar testadressen');
    expect(page).toContain('Regel 4: Dit is een oefening: brieven gaan alleen per e-mail naar testadressen');
    // Outside practice the same file is fine.
    expect(checkRecipientRecords(records).recipients).toHaveLength(3);
  });
});
