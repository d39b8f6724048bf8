import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPages } from '../../../client/http/web-pages';
import { answers, signal } from '../../support/answers';
import { Harness, eventually } from '../../support/harness';
import { HttpFixture, type Agent } from '../../support/http';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER, SPONSOR } from '../../support/people';

/**
 * The breach's actions besides its tasks, on the web: each form against the real worker and Temporal, refused
 * for a person without the role exactly as the JSON API refuses, and with a Dutch error at the field.
 */

const HOUR = 3_600_000;
let h: Harness;
let fx: HttpFixture;
const agents = new Map<string, Agent>();

async function as(email: string): Promise<Agent> {
  let agent = agents.get(email);
  if (!agent) {
    agent = await fx.as(email);
    agents.set(email, agent);
  }
  return agent;
}

/** A form as a browser posts it, with the session's CSRF token. */
async function post(email: string, url: string, form: Record<string, string>) {
  const agent = await as(email);
  return agent.request('POST', url, { form: { ...form, _csrf: agent.csrf ?? '' } });
}

const get = async (email: string, url: string) => (await as(email)).get(url);

/** The text of the error paragraph of a field (client/web/action-form.ts ids its fields a-<name>). */
function fieldError(body: string, name: string): string | undefined {
  return new RegExp(`id="a-${name}-error"><span class="visually-hidden">[^<]*</span>([^<]*)</p>`).exec(body)?.[1];
}

/** A confirmed breach, aware `awareHoursAgo` hours ago, whose notification playbook is running. */
async function confirmedBreach(awareHoursAgo = 2): Promise<string> {
  const breachId = await h.report(signal());
  await h.complete(
    breachId,
    'triage',
    FG,
    answers.triageBreach(new Date(Date.now() - awareHoursAgo * HOUR).toISOString()),
  );
  await eventually(
    async () => (await h.view(breachId)).deadlines.some((d) => d.kind === 'gdpr-authority'),
    'the notification playbook running',
  );
  return breachId;
}

/** The refusal the JSON API gives for the same action: its message, as the page shows it. */
async function apiRefusal(email: string, url: string, body: unknown): Promise<string> {
  const res = await (await as(email)).post(url, body);
  expect(res.statusCode).toBe(403);
  return (JSON.parse(res.body) as { message: string }).message;
}

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

beforeAll(async () => {
  h = await Harness.start();
  fx = await HttpFixture.start(h, { pages: [webPages], recipients: h.register });
}, 60_000);

afterAll(async () => {
  await fx?.close();
  await h?.close();
});

describe('report a breach by hand', () => {
  it('asks in Dutch, refuses an empty summary at its field, and lands the FG on the new breach', async () => {
    const form = await get(FG, '/breaches/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<h1>Een datalek melden</h1>');

    const empty = await post(FG, '/breaches/new', { summary: '  ', details: 'Telefoontje van de balie' });
    expect(empty.statusCode).toBe(422);
    expect(fieldError(empty.body, 'summary')).toBe('Dit veld is verplicht.');
    // What was entered stays.
    expect(empty.body).toContain('Telefoontje van de balie');

    const bad = await post(FG, '/breaches/new', { summary: 'Map met dossiers kwijt', observedAt: 'gisteren' });
    expect(fieldError(bad.body, 'observedAt')).toBe(
      'Vul een datum en tijd in als dd-mm-jjjj uu:mm, bijvoorbeeld 28-11-2026 09:30.',
    );

    const res = await post(FG, '/breaches/new', {
      summary: 'Een map met cliëntdossiers is in de trein blijven liggen',
      details: 'Gemeld door de balie, 10:15',
      observedAt: '2026-12-01T09:30',
      systems: 'papieren dossiers',
    });
    expect(res.statusCode).toBe(303);
    const breachId = /^\/breaches\/(breach-[0-9a-f]{20})$/.exec(String(res.headers.location))?.[1];
    expect(breachId).toBeDefined();
    const view = await h.view(breachId!);
    expect(view.reports[0]).toMatchObject({
      source: 'manual',
      summary: 'Een map met cliëntdossiers is in de trein blijven liggen',
    });
    // The triage task is the FG's, on the breach page the form led to.
    await h.openTask(breachId!, 'triage');
  });

  it('answers in English on the English switch, and refuses a form without its CSRF token', async () => {
    const english = await post(FG, '/breaches/new?lang=en', { summary: '' });
    expect(english.statusCode).toBe(422);
    expect(fieldError(english.body, 'summary')).toBe('Is required: say in a sentence what happened');
    expect(english.body).toContain('action="/breaches/new?lang=en"');

    const forged = await (await as(FG)).request('POST', '/breaches/new', { form: { summary: 'Vervalst' } });
    expect(forged.statusCode).toBe(403);
  });

  it('gives a colleague who does not see the breach a receipt instead', async () => {
    const res = await post(ICT, '/breaches/new', { summary: 'Laptop gestolen uit de auto' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Melding ontvangen');
  });
});

describe('amend facts, correct awareness, classify', () => {
  let breachId: string;
  beforeAll(async () => {
    breachId = await confirmedBreach();
  }, 60_000);

  it('the CISO amends the facts; a number that is none is refused in Dutch at its field', async () => {
    const page = await get(CISO, `/breaches/${breachId}`);
    expect(page.body).toContain(`href="/breaches/${breachId}/facts"`);

    const bad = await post(CISO, `/breaches/${breachId}/facts`, { approxPeople: 'veel' });
    expect(bad.statusCode).toBe(422);
    expect(fieldError(bad.body, 'approxPeople')).toBe('Vul een getal in.');

    const res = await post(CISO, `/breaches/${breachId}/facts`, { approxPeople: '300', cause: 'loss-or-theft' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/breaches/${breachId}?saved=facts`);
    const view = await h.view(breachId);
    expect(view.facts.known).toMatchObject({ approxPeople: 300, cause: 'loss-or-theft' });
    expect((await get(CISO, String(res.headers.location))).body).toContain('De feiten zijn bijgewerkt.');
  });

  it('refuses the executive sponsor the facts form as the API refuses the amendment', async () => {
    const message = await apiRefusal(SPONSOR, `/api/breaches/${breachId}/facts`, { approxPeople: 1 });
    const page = await get(SPONSOR, `/breaches/${breachId}/facts`);
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain(escaped(message));
    const posted = await post(SPONSOR, `/breaches/${breachId}/facts`, { approxPeople: '1' });
    expect(posted.statusCode).toBe(403);
    expect((await h.view(breachId)).facts.known?.approxPeople).toBe(300);
  });

  it('the FG corrects the awareness time, with a reason required in Dutch', async () => {
    const awareAt = new Date(Date.now() - 5 * HOUR);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Amsterdam',
      dateStyle: 'short',
      timeStyle: 'short',
    })
      .format(awareAt)
      .replace(' ', 'T');
    const missing = await post(FG, `/breaches/${breachId}/awareness`, { awareAt: local, reason: '' });
    expect(missing.statusCode).toBe(422);
    expect(fieldError(missing.body, 'reason')).toBe('Dit veld is verplicht.');

    const res = await post(FG, `/breaches/${breachId}/awareness`, {
      awareAt: local,
      reason: 'De balie wist het al eerder',
    });
    expect(res.statusCode).toBe(303);
    await eventually(async () => {
      const known = (await h.view(breachId)).facts.awareAt;
      return known !== undefined && Math.abs(Date.parse(known) - awareAt.getTime()) < 60_000;
    }, 'the corrected awareness time');

    const message = await apiRefusal(CISO, `/api/breaches/${breachId}/notification/correct-awareness`, {
      awareAt: awareAt.toISOString(),
      reason: 'x',
    });
    const refused = await post(CISO, `/breaches/${breachId}/awareness`, { awareAt: local, reason: 'x' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain(escaped(message));
  });

  it('the CISO classifies the incident as significant under NIS2; the process owner may not', async () => {
    const res = await post(CISO, `/breaches/${breachId}/classification`, { nis2Significant: 'true' });
    expect(res.statusCode).toBe(303);
    await eventually(
      async () => (await h.view(breachId)).facts.classification?.nis2Significant === true,
      'the NIS2 classification',
    );
    const message = await apiRefusal(PROCESS_OWNER, `/api/breaches/${breachId}/notification/classify`, {
      nis2Significant: true,
    });
    const refused = await get(PROCESS_OWNER, `/breaches/${breachId}/classification`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain(escaped(message));
  });
});

describe('record a notification at any time', () => {
  it('records a late AP notification before its task opens, asking for the reasons in Dutch at their field', async () => {
    const breachId = await confirmedBreach(80);
    expect((await h.view(breachId)).tasks.some((t) => t.kind === 'authority-notification')).toBe(false);
    const form = await get(FG, `/breaches/${breachId}/notifications/new`);
    expect(form.statusCode).toBe(200);

    const now = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Amsterdam',
      dateStyle: 'short',
      timeStyle: 'short',
    })
      .format(new Date(Date.now() - 60_000))
      .replace(' ', 'T');
    const base = { regime: 'gdpr', phase: 'initial', at: now, reference: 'AP-2026-777' };
    const noReference = await post(FG, `/breaches/${breachId}/notifications/new`, { ...base, reference: '' });
    expect(fieldError(noReference.body, 'reference')).toBe('Dit veld is verplicht.');

    const late = await post(FG, `/breaches/${breachId}/notifications/new`, base);
    expect(late.statusCode).toBe(422);
    expect(fieldError(late.body, 'reasonsForDelay')).toMatch(/^Geef de redenen van de vertraging/);

    const res = await post(FG, `/breaches/${breachId}/notifications/new`, {
      ...base,
      reasonsForDelay: 'De melding bereikte de FG pas na het weekend',
    });
    expect(res.statusCode).toBe(303);
    const view = await eventually(async () => {
      const v = await h.view(breachId);
      return v.notifications.some((n) => n.to === 'authority') ? v : undefined;
    }, 'the AP notification recorded');
    expect(view.notifications.find((n) => n.to === 'authority')).toMatchObject({
      reference: 'AP-2026-777',
      late: true,
      reasonsForDelay: 'De melding bereikte de FG pas na het weekend',
    });

    const message = await apiRefusal(CISO, `/api/breaches/${breachId}/notification/record`, {
      regime: 'gdpr',
      phase: 'supplement',
      at: new Date().toISOString(),
      reference: 'AP-2026-777',
    });
    const refused = await post(CISO, `/breaches/${breachId}/notifications/new`, { ...base, phase: 'supplement' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain(escaped(message));
  });
});

describe('the recipient list, the AP draft, the report and the dossier', () => {
  let breachId: string;
  beforeAll(async () => {
    breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, true, 'lekdicht'));
    await h.complete(breachId, 'authority-notification', FG, answers.authorityNotification());
    // The letter is written and approved before the list of people is asked for (workflows/letter-approval.ts).
    for (const [taskId, actor, answer] of answers.letterSteps(COMMS, COMMS, FG)) {
      await h.complete(breachId, taskId, actor, answer);
    }
    await h.openTask(breachId, 'recipient-list');
  }, 120_000);

  const url = () => `/breaches/${breachId}/recipients`;
  const GOOD =
    'name,email,address,language\nAnna de Wit,anna@example.org,,nl\nCor Bos,,"Dorpsstraat 1, 1234 AB Voorbeeld",\n';
  const BAD = 'name,email,address,language\nAnna de Wit,anna@example.org,,nl\nBas Kok,bas@,,en\n,,,\n';

  it("sends the task's form to the upload page: no number to type", async () => {
    const res = await get(COMMS, `/breaches/${breachId}/tasks/recipient-list`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(url());
    const page = await get(COMMS, url());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('type="file"');
    expect(page.body).not.toContain('name="uploaded"');
  });

  it('shows every bad row with its problem in Dutch, and stores nothing', async () => {
    const res = await post(COMMS, url(), { csv: BAD, _intent: 'check' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Regel 3: Geen geldig e-mailadres.');
    expect(res.body).toContain('Regel 4: Naam ontbreekt.');
    expect(res.body).not.toContain('value="confirm"');
    // Even a forged confirmation of the bad file stores nothing.
    const forged = await post(COMMS, url(), { csv: BAD, _intent: 'confirm' });
    expect(forged.statusCode).toBe(422);
    expect((await h.register.recipientCounts(breachId)).total).toBe(0);
    expect((await h.view(breachId)).tasks.find((t) => t.id === 'recipient-list')?.status).toBe('open');
  });

  it('refuses the CISO as the API refuses completing the task, before anything is stored', async () => {
    const message = await apiRefusal(CISO, `/api/breaches/${breachId}/tasks/recipient-list`, {
      answer: { uploaded: 2 },
    });
    const res = await post(CISO, url(), { csv: GOOD, _intent: 'confirm' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain(escaped(message));
    expect((await h.register.recipientCounts(breachId)).total).toBe(0);
  });

  it('checks a clean file, then stores it and completes the task on confirmation', async () => {
    const checked = await post(COMMS, url(), { csv: GOOD, _intent: 'check' });
    expect(checked.statusCode).toBe(200);
    expect(checked.body).toContain('2 personen, geen fouten.');
    expect((await h.register.recipientCounts(breachId)).total).toBe(0);

    const res = await post(COMMS, url(), { csv: GOOD, _intent: 'confirm' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/breaches/${breachId}?done=recipient-list`);
    expect((await h.register.recipientCounts(breachId)).total).toBe(2);
    const task = (await h.view(breachId)).tasks.find((t) => t.id === 'recipient-list');
    expect(task).toMatchObject({ status: 'done', completedBy: COMMS, answer: { uploaded: 2 } });
  });

  it('shows the AP draft copy-ready with the link to the AP, and the report and dossier in Dutch', async () => {
    const draft = await get(FG, `/breaches/${breachId}/ap-draft`);
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain('https://www.autoriteitpersoonsgegevens.nl/');
    expect(draft.body).toContain('data-copy="ap-');
    expect(draft.body).toContain('@media print');
    // Every section of the AP's form, the follow-up (art. 33(4)) included, filled from the case and the directory.
    expect(draft.body).toContain('<h2 id="ap-follow-up">Vervolgmelding</h2>');
    expect(draft.body).toMatch(
      /<h3 id="ap-contact-3-label">Functie contactpersoon<\/h3>\s*<pre class="copy-text" id="ap-contact-3"[^>]*>Functionaris gegevensbescherming<\/pre>/,
    );
    expect(draft.body).toContain('>+31 70 123 4567</pre>');
    expect(draft.body).toContain('>(identiteits)fraude; blootstelling aan spam of phishing</pre>');

    // The same draft in the API, as data, behind a session.
    const api = await get(FG, `/api/breaches/${breachId}/ap-draft`);
    expect(api.statusCode).toBe(200);
    const sections = JSON.parse(api.body) as { id: string; fields: { label: string; value: string | null }[] }[];
    expect(sections.map((s) => s.id)).toEqual([
      'contact',
      'timeline',
      'nature',
      'data',
      'measures-before',
      'consequences',
      'measures-after',
      'data-subjects',
      'cross-border',
      'follow-up',
    ]);
    const value = (label: string) => sections.flatMap((s) => s.fields).find((f) => f.label === label)?.value;
    expect(value('Eerdere melding (kenmerk AP)')).toBe('AP-2026-12345');
    expect(value('Functie contactpersoon')).toBe('Functionaris gegevensbescherming');
    expect(value('Telefoonnummer contactpersoon')).toBe('+31 70 123 4567');
    expect(value('E-mailadres contactpersoon')).toBe(FG);
    // The first picture's facts: names and BSNs sent to someone unknown.
    expect(value('Aard van de inbreuk')).toBe('lezen of kopiëren');
    expect(value('Soort schade voor betrokkenen')).toBe('(identiteits)fraude; blootstelling aan spam of phishing');
    // The containment as ICT recorded it, each measure with its status and note.
    expect(value('Stand van de inperkende maatregelen')).toBe(
      'bewijs veiligstellen: gedaan (Mailbox export and message trace saved); systeem beheerst uitschakelen: niet van toepassing (Only one mailbox involved); loskoppelen van het netwerk: niet van toepassing (No compromised device); firewall aanpassen: niet van toepassing (Not an intrusion); gebruikersaccounts blokkeren: gedaan; wachtwoorden wijzigen: gedaan; met ICT afspreken hoe het lek te stoppen: gedaan (Recall requested; recipient asked to delete)',
    );
    // The FG decided lekdicht writes to the people one by one: no public communication.
    expect(value('Openbare mededeling (art. 34 lid 3 onder c AVG)')).toBe(
      'nee, de betrokkenen worden een voor een geïnformeerd',
    );
    expect(value('Soort melding')).toMatch(
      /^aanvulling op de melding van \d\d-\d\d-\d{4} \d\d:\d\d \(kenmerk AP-2026-12345\)$/,
    );
    expect(value('Is de melding volledig?')).toMatch(/^nee, er volgt een aanvulling \(art\. 33 lid 4 AVG\): /);
    expect((await fx.agent().get(`/api/breaches/${breachId}/ap-draft`)).statusCode).toBe(401);

    const report = await get(FG, `/breaches/${breachId}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('Registervermelding (art. 33 lid 5 AVG)');
    expect(report.body).toContain('AP-2026-12345');

    const dossier = await get(FG, `/breaches/${breachId}/dossier`);
    expect(dossier.statusCode).toBe(200);
    expect(dossier.body).toContain(`Dossier ${breachId}`);
    expect(dossier.body).toContain('Email with an attachment sent to an external address by mistake.');
    // The decision with its reasons, as the FG gave them.
    expect(dossier.body).toContain('BSNs leaked: high risk of identity fraud.');

    const english = await get(FG, `/breaches/${breachId}/report?lang=en`);
    expect(english.body).toContain('Register record (art. 33(5) GDPR)');

    const breachPage = await get(FG, `/breaches/${breachId}`);
    for (const path of ['ap-draft', 'report', 'dossier'])
      expect(breachPage.body).toContain(`href="/breaches/${breachId}/${path}"`);
  });
});
