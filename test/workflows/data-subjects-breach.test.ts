import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { amendBreachFacts } from '../../client/shared/breaches';
import { letterStart } from '../../domain/letter-draft';
import { renderDataSubjectLetter } from '../../domain/letters';
import { testSigner } from '../support/acts';
import { runLekdicht } from '../support/cli';
import { Harness, eventually } from '../support/harness';
import { answers, signal } from '../support/answers';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from '../support/people';

/** A marker per internal free-text field: none may ever reach a letter, a printed letter or a public text. */
const MARK = 'INTERN7Q';
const mark = (field: string) => `${MARK}-${field}`;
const noMarker = (text: string | undefined) => expect(text ?? '').not.toContain(MARK);

/** What communications writes, keeping the advice the letter form starts with (by the kinds of data: a BSN). */
const written = (nature: string) => ({
  ...answers.letter(nature),
  advice: letterStart(answers.firstPicture().dataCategories, 'nl').advice!,
});

const KCC_CONTACT = 'Klantcontactcentrum Voorbeeld, telefoon 14 020, werkdagen 8-17 uur';

/** A breach up to the FG's decision with a marker planted in every internal free-text field along the way. */
async function markedBreach(h: Harness, by: 'lekdicht' | 'public-communication'): Promise<string> {
  const breachId = await h.report(
    signal({ summary: mark('signal-summary'), details: `${mark('signal-details')} DLP rule was on monitor` }),
  );
  await h.complete(breachId, 'triage', FG, { ...answers.triageBreach(), reasoning: mark('triage-reasoning') });
  await h.complete(breachId, 'first-picture', CISO, {
    ...answers.firstPicture(),
    summary: mark('first-picture-summary'),
    systems: [mark('first-picture-system')],
  });
  await amendBreachFacts(
    h.client,
    breachId,
    PROCESS_OWNER,
    { summary: mark('amended-summary'), context: { adjustment: 1, reason: mark('context-reason') } },
    testSigner(),
  );
  const containment = answers.containment(false);
  await h.complete(breachId, 'containment-1', ICT, {
    ...containment,
    measures: {
      ...containment.measures,
      'secure-evidence': { status: 'done', note: mark('measure-note') },
      'controlled-shutdown': { status: 'not-applicable', note: mark('measure-na-note') },
    },
    note: mark('containment-note'),
  });
  await h.complete(breachId, 'containment-confirmation-1', CISO, { contained: true, note: mark('confirmation-note') });
  await h.complete(breachId, 'impact', PROCESS_OWNER, {
    dataLeaked: mark('data-leaked'),
    impactOnPeople: mark('impact-on-people'),
    impactOnOrganisation: mark('impact-on-organisation'),
    riskToPeople: 'high',
  });
  await h.complete(breachId, 'notification-decision', FG, {
    ...answers.decision(true, true, by),
    justification: mark('decision-justification'),
  });
  await h.complete(breachId, 'authority-notification', FG, {
    ...answers.authorityNotification(),
    reference: mark('ap-reference'),
  });
  return breachId;
}

describe('a breach whose people affected lekdicht informs itself (art. 34)', () => {
  let h: Harness;
  let breachId: string;
  const people = [
    { name: 'Anna de Wit', email: 'anna@example.org' },
    { name: 'Bas Kok', email: 'bas@example.org', language: 'en' as const },
    { name: 'Cor Bos', address: 'Dorpsstraat 1, 1234 AB Voorbeeld' },
  ];
  const cliEnv = () => ({
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: inject('temporalNamespace'),
    LEKDICHT_CONFIG: 'config/example.yaml',
    LEKDICHT_REGISTER_PATH: h.config.register.path,
  });
  const lettersTo = () => h.mailbox.mails.filter((m) => m.to.some((to) => to.endsWith('@example.org')));

  beforeAll(async () => {
    // The organisation's own target for telling people: 48 hours after the FG's decision.
    h = await Harness.start({}, { organisation: { profile: { dataSubjectTarget: '48h' } } });
    breachId = await markedBreach(h, 'lekdicht');
  }, 120_000);
  afterAll(() => h?.close());

  it('asks the KCC for the contact point before the letter, and the letter starts from nothing internal', async () => {
    const contact = await h.openTask(breachId, 'contact-point');
    expect(contact.role).toBe('kcc');
    const view = await h.view(breachId);
    expect(view.tasks.find((t) => t.id === 'letter')).toBeUndefined();
    await h.complete(breachId, 'contact-point', COMMS, { contactPoint: KCC_CONTACT });
    const letter = await h.openTask(breachId, 'letter');
    expect(letter.role).toBe('communications');
    noMarker(letter.detail);
  });

  it('sends nothing while the FG has not approved, even with the recipients already in the register', async () => {
    expect(await h.register.addRecipients(breachId, people)).toEqual({ added: 3, duplicates: 0 });
    await h.complete(breachId, 'letter', COMMS, written('Versie een: een e-mail ging naar de verkeerde persoon.'));
    await h.openTask(breachId, 'letter-approval');
    const view = await h.view(breachId);
    expect(view.facts.letter).toMatchObject({ version: 1, writtenBy: COMMS, contactPoint: { text: KCC_CONTACT } });
    expect(view.facts.letter?.approvedBy).toBeUndefined();
    // What the FG approves is the letter as it goes out: the KCC's contact point, what communications wrote.
    const shown = renderDataSubjectLetter(view.facts.letter!.draft!, 'nl').text;
    expect(shown).toContain(KCC_CONTACT);
    expect(shown).toContain('Versie een');
    // Nor can anyone print one: the export has no letter before the FG approved it.
    const out = join(mkdtempSync(join(tmpdir(), 'lekdicht-letters-')), 'early.csv');
    const early = await runLekdicht(['recipients', 'export', breachId, '--status', 'all', '--out', out], cliEnv());
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/has no approved letter yet/);
    expect(lettersTo()).toEqual([]);
    expect((await h.view(breachId)).tasks.some((t) => t.kind === 'recipient-list')).toBe(false);
  });

  it('composes the letter again when the FG sends it back, and records who approved which version when', async () => {
    await h.complete(breachId, 'letter-approval', FG, { approved: false, remarks: mark('fg-remarks') });
    const again = await h.openTask(breachId, 'letter-2');
    // The remarks are for communications, in the task; never for the letter.
    expect(again.detail).toContain(mark('fg-remarks'));
    expect(lettersTo()).toEqual([]);
    await h.complete(
      breachId,
      'letter-2',
      COMMS,
      written('Versie twee: een e-mail met uw gegevens ging naar een verkeerd adres.'),
    );
    await h.complete(breachId, 'letter-approval-2', FG, answers.approveLetter());
    await h.openTask(breachId, 'recipient-list');
    await h.complete(breachId, 'recipient-list', COMMS, { uploaded: 3 });
    const view = await h.waitForPhase(breachId, 'aftercare');
    expect(view.facts.letter).toMatchObject({
      version: 2,
      writtenBy: COMMS,
      approvedBy: FG,
      sentBack: [expect.objectContaining({ version: 1, by: FG })],
    });
    expect(Date.parse(view.facts.letter!.approvedAt!)).toBeGreaterThanOrEqual(
      Date.parse(view.facts.letter!.writtenAt!),
    );
    const kinds = view.timeline.map((e) => e.kind);
    expect(kinds.indexOf('letter-approved')).toBeLessThan(kinds.indexOf('data-subjects-batch'));
  });

  it('emails each person the approved letter in their language, with the KCC contact point and advice for a BSN', () => {
    const anna = h.mailbox.to('anna@example.org');
    expect(anna).toHaveLength(1);
    expect(anna[0]?.text).toContain('Anna de Wit');
    expect(anna[0]?.text).toContain('Versie twee');
    expect(anna[0]?.text).not.toContain('Versie een');
    expect(anna[0]?.text).toContain(KCC_CONTACT);
    expect(anna[0]?.text).not.toContain(FG);
    const bas = h.mailbox.to('bas@example.org');
    expect(bas).toHaveLength(1);
    expect(bas[0]?.text).toContain('Dear Bas Kok');
    expect(bas[0]?.text).toContain(KCC_CONTACT);
    // The advice kept as the form started it is lekdicht's own: in English for an English reader.
    expect(bas[0]?.text).toContain('identity fraud (CMI)');
    expect(bas[0]?.text).not.toContain('Wees alert');
  });

  it('never puts an internal text in a letter: no marker in any email to the people affected', () => {
    expect(lettersTo()).toHaveLength(2);
    for (const mail of lettersTo()) {
      noMarker(mail.subject);
      noMarker(mail.text);
    }
  });

  it('aftercare takes the contact point set up before the letters and does not ask the KCC again', async () => {
    const view = await eventually(async () => {
      const v = await h.view(breachId);
      return v.timeline.some((e) => e.kind === 'aftercare-started') ? v : undefined;
    }, 'aftercare started');
    expect(view.tasks.filter((t) => t.kind === 'aftercare' || t.kind === 'contact-point').map((t) => t.id)).toEqual([
      'contact-point',
    ]);
  });

  it('records the notification once, meets the data-subjects deadline, and sets postal-only people aside for print', async () => {
    const view = await eventually(async () => {
      const v = await h.view(breachId);
      return v.deadlines.find((d) => d.kind === 'data-subjects')?.status === 'met' ? v : undefined;
    }, 'data-subjects deadline met');
    expect(view.notifications.filter((n) => n.to === 'data-subjects')).toEqual([
      expect.objectContaining({ channel: 'email', late: false }),
    ]);
    const decidedAt = view.decisions.find((d) => d.kind === 'notification')!.at;
    expect(view.deadlines.find((d) => d.kind === 'data-subjects')?.due).toBe(
      new Date(Date.parse(decidedAt) + 48 * 3_600_000).toISOString(),
    );
    expect(view.facts.dataSubjects).toMatchObject({ total: 3, sent: 2, toPrint: 1, failed: 0 });
    expect(await h.register.recipientCounts(breachId)).toMatchObject({ sent: 2, toPrint: 1 });
    expect((await h.register.breach(breachId))?.data_subjects_notified_at).toBeTruthy();
  });

  it('exports the letters to post, personalised and without internal texts, as CSV (lekdicht recipients export)', async () => {
    const env = cliEnv();
    const out = join(mkdtempSync(join(tmpdir(), 'lekdicht-letters-')), 'letters.csv');
    const run = await runLekdicht(['recipients', 'export', breachId, '--out', out, '--json'], env);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ breachId, status: 'to-print', exported: 1, out });
    const csv = readFileSync(out, 'utf8');
    noMarker(csv);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      expect.objectContaining({
        name: 'Cor Bos',
        address: 'Dorpsstraat 1, 1234 AB Voorbeeld',
        status: 'to-print',
        language: 'nl',
      }),
    ]);
    expect(rows[0]?.letter).toContain('Cor Bos');
    expect(rows[0]?.letter).toContain('Versie twee');
    expect(rows[0]?.letter).toContain(KCC_CONTACT);
    expect(rows[0]?.letter).toContain('Centraal Meldpunt Identiteitsfraude');
    // Names and addresses: readable by its owner only.
    expect(statSync(out).mode & 0o077).toBe(0);

    const all = await runLekdicht(['recipients', 'export', breachId, '--status', 'all', '--out', out, '--json'], env);
    expect(JSON.parse(all.stdout)).toMatchObject({ exported: 3 });
    noMarker(readFileSync(out, 'utf8'));
    const wrong = await runLekdicht(['recipients', 'export', breachId, '--status', 'lost', '--out', out], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--status: must be one of to-print, failed, pending, sent, all, not "lost"/);
    const none = await runLekdicht(['recipients', 'export', 'breach-00000000000000000000', '--out', out], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/breachId: breach-00000000000000000000 has no letters/);
  });

  it('publishes only the approved text when people are informed by a public communication (art. 34(3)(c))', async () => {
    const publicId = await markedBreach(h, 'public-communication');
    await h.complete(publicId, 'contact-point', COMMS, { contactPoint: KCC_CONTACT });
    await h.complete(publicId, 'letter', COMMS, written('Openbaar: een e-mail ging naar de verkeerde ontvanger.'));
    await h.openTask(publicId, 'letter-approval');
    expect((await h.view(publicId)).tasks.some((t) => t.kind === 'public-communication')).toBe(false);
    await h.complete(publicId, 'letter-approval', FG, answers.approveLetter());
    const publish = await h.openTask(publicId, 'public-communication');
    expect(publish.detail).toContain('Openbaar: een e-mail ging naar de verkeerde ontvanger.');
    expect(publish.detail).toContain(KCC_CONTACT);
    noMarker(publish.detail);
    const view = await h.view(publicId);
    for (const language of ['nl', 'en'] as const)
      noMarker(renderDataSubjectLetter(view.facts.letter!.draft!, language).text);
    await h.complete(publicId, 'public-communication', COMMS, {
      publishedAt: new Date().toISOString(),
      channel: 'website',
      reference: 'https://voorbeeld.nl/datalek',
    });
    await h.waitForPhase(publicId, 'aftercare');
  });
});
