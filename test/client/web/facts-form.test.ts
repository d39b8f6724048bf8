import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPages } from '../../../client/http/web-pages';
import { refusalByField } from '../../../client/web/action-form';
import { actionFields } from '../../../client/web/action-pages';
import { answers, signal } from '../../support/answers';
import { Harness, eventually } from '../../support/harness';
import { HttpFixture, type Agent } from '../../support/http';
import { CISO, FG } from '../../support/people';

/**
 * The facts form with the facts of v2 (breach type, start and end, who holds the data, partial protection,
 * outage, people per kind of data, who the people are), against the real worker, Temporal and HTTP service:
 * what is saved, what the case page then says in Dutch, which question the form asks for a breach where the data
 * has left, and a contradiction refused at its field with nothing stored.
 */

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

/** A form as a browser posts it (a checklist repeats its name), with the session's CSRF token. */
async function post(email: string, url: string, form: Record<string, string | string[]>) {
  const agent = await as(email);
  const params = new URLSearchParams({ _csrf: agent.csrf ?? '' });
  for (const [name, value] of Object.entries(form))
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  return agent.request('POST', url, { form: params as unknown as Record<string, string> });
}

const get = async (email: string, url: string) => (await as(email)).get(url);

/** The error text at an action form's field (ids a-<path>, dots as "__"). */
function fieldError(body: string, name: string): string | undefined {
  const id = `a-${name.replace(/\./g, '__')}`;
  return new RegExp(`id="${id}-error"><span class="visually-hidden">[^<]*</span>([^<]*)</p>`).exec(body)?.[1];
}

/** The `_shown` field of a facts form: the facts as the form showed them. */
function shownField(body: string): string {
  const raw = /name="_shown" value="([^"]*)"/.exec(body)?.[1];
  expect(raw).toBeDefined();
  return raw!
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function confirmedBreach(): Promise<string> {
  const breachId = await h.report(signal());
  await h.complete(breachId, 'triage', FG, answers.triageBreach(new Date(Date.now() - 3_600_000).toISOString()));
  await eventually(async () => (await h.view(breachId)).phase !== 'triage', 'triage done');
  return breachId;
}

beforeAll(async () => {
  h = await Harness.start();
  fx = await HttpFixture.start(h, { pages: [webPages] });
}, 60_000);

afterAll(async () => {
  await fx?.close();
  await h?.close();
});

describe('the facts form records every fact of v2', () => {
  let breachId: string;
  beforeAll(async () => {
    breachId = await confirmedBreach();
  }, 60_000);

  it('saves the nested facts as entered, and the case page reads them back in Dutch', async () => {
    const form = await get(CISO, `/breaches/${breachId}/facts`);
    expect(form.statusCode).toBe(200);
    for (const legend of [
      'Wat is er gebeurd',
      'Welke gegevens en wie',
      'Wie heeft de gegevens',
      'Bescherming',
      'Beschikbaarheid',
      'Grensoverschrijdend',
    ])
      expect(form.body).toContain(`<legend>${legend}</legend>`);
    expect(form.body).toMatch(/name="startedAt"[^>]*placeholder|placeholder="dd-mm-jjjj uu:mm"[^>]*name="startedAt"/);

    const res = await post(CISO, `/breaches/${breachId}/facts`, {
      breachType: 'stolen-device',
      startedAt: '01-12-2026 09:30',
      endedAt: '01-12-2026 11:00',
      dataCategories: ['ordinary', 'special'],
      approxPeople: '15',
      'peoplePerCategory.special': '2',
      'subjects.kinds': ['patients', 'children'],
      'subjects.vulnerable': 'true',
      'subjects.sector': 'health',
      recipients: 'unknown',
      recovery: 'remote-wiped',
      'protection.encrypted': 'true',
      'protection.keySafe': 'true',
      'protection.strength': 'state-of-the-art',
      'protection.covers': ['special'],
      'backup.available': 'true',
      'backup.kind': 'complete',
      'outage.hours': '4',
      'outage.consequences': ['care-delayed'],
      'context.adjustment': '1',
      'context.reason': 'Dossiers van een jeugdzorginstelling',
      crossBorder: 'true',
      leadAuthority: 'CNIL',
      // Left empty: "not known yet", never sent as "" or 0.
      recipientCount: '',
      'backup.restoreHours': '',
    });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/breaches/${breachId}?saved=facts`);
    const known = (await h.view(breachId)).facts.known;
    expect(known).toMatchObject({
      breachType: 'stolen-device',
      startedAt: '2026-12-01T08:30:00Z',
      endedAt: '2026-12-01T10:00:00Z',
      dataCategories: ['ordinary', 'special'],
      approxPeople: 15,
      peoplePerCategory: { special: 2 },
      subjects: { kinds: ['patients', 'children'], vulnerable: true, sector: 'health' },
      recipients: 'unknown',
      recovery: 'remote-wiped',
      protection: { encrypted: true, keySafe: true, strength: 'state-of-the-art', covers: ['special'] },
      backup: { available: true, kind: 'complete' },
      outage: { hours: 4, consequences: ['care-delayed'] },
      context: { adjustment: 1, reason: 'Dossiers van een jeugdzorginstelling' },
      crossBorder: true,
      leadAuthority: 'CNIL',
    });
    expect(known).not.toHaveProperty('recipientCount');
    expect(known?.backup).not.toHaveProperty('restoreHours');

    const page = await get(CISO, String(res.headers.location));
    for (const words of [
      'De feiten zijn bijgewerkt.',
      'Wat voor datalek is het?',
      'Apparaat gestolen',
      'Op afstand gewist',
      'Volgens de stand van de techniek',
      'Zorg vertraagd',
      'Patiënten',
      '<li>Kinderen</li>',
      'Hoeveel betrokkenen per soort gegevens',
      'Leidende toezichthouder',
      'CNIL',
    ])
      expect(page.body).toContain(words);
    expect(page.body).not.toContain('stolen-device');
    expect(page.body).not.toContain('remote-wiped');
  });

  it('sends only what the person changed: a fact changed meanwhile by someone else stays', async () => {
    const form = await get(CISO, `/breaches/${breachId}/facts`);
    const shown = shownField(form.body);
    expect(JSON.parse(shown)).toMatchObject({ approxPeople: 15, breachType: 'stolen-device' });
    // The FG corrects the number of people while the CISO has the form open.
    const api = await (await as(FG)).post(`/api/breaches/${breachId}/facts`, { approxPeople: 40 });
    expect(api.statusCode, api.body).toBe(200);

    // The CISO saves the form as it was shown (15 people, the start as shown), changing only the cause.
    const res = await post(CISO, `/breaches/${breachId}/facts`, {
      _shown: shown,
      approxPeople: '15',
      startedAt: '01-12-2026 09:30',
      cause: 'loss-or-theft',
    });
    expect(res.statusCode, res.body).toBe(303);
    const view = await h.view(breachId);
    expect(view.facts.known).toMatchObject({ approxPeople: 40, cause: 'loss-or-theft' });
    const amended = view.timeline.filter((e) => /amended/.test(JSON.stringify(e)));
    expect(JSON.stringify(amended.at(-1))).toContain('cause');
    expect(JSON.stringify(amended.at(-1))).not.toContain('startedAt');

    // Saved without any change: nothing is sent, and the page says so.
    const again = await get(CISO, `/breaches/${breachId}/facts`);
    const unchanged = await post(CISO, `/breaches/${breachId}/facts`, {
      _shown: shownField(again.body),
      approxPeople: '40',
      cause: 'loss-or-theft',
      startedAt: '01-12-2026 09:30',
    });
    expect(unchanged.headers.location).toBe(`/breaches/${breachId}?saved=facts-unchanged`);
    expect((await get(CISO, String(unchanged.headers.location))).body).toContain('Er is niets gewijzigd');
  });

  it('refuses an end before the recorded start and more people for a kind than affected, at their fields in Dutch; nothing is stored', async () => {
    const before = (await h.view(breachId)).facts.known;
    const early = await post(CISO, `/breaches/${breachId}/facts`, { endedAt: '30-11-2026 09:00' });
    expect(early.statusCode).toBe(422);
    expect(fieldError(early.body, 'endedAt')).toBe(
      'Dit moment ligt vóór het begin van het datalek: een datalek kan niet eindigen voordat het begon.',
    );
    // What was entered stays, in the format the hint asks for.
    expect(early.body).toMatch(/name="endedAt"[^>]*value="30-11-2026 09:00"/);

    const many = await post(CISO, `/breaches/${breachId}/facts`, { 'peoplePerCategory.special': '41' });
    expect(many.statusCode).toBe(422);
    expect(fieldError(many.body, 'peoplePerCategory.special')).toBe(
      'Dit zijn meer mensen dan het aantal betrokkenen: het kan er hoogstens evenveel zijn.',
    );
    expect(many.body).toContain('href="#a-peoplePerCategory__special"');

    const noBackup = await post(CISO, `/breaches/${breachId}/facts`, {
      'backup.available': 'false',
      'backup.kind': 'paper',
    });
    expect(fieldError(noBackup.body, 'backup.kind')).toBe('Geldt alleen als er een back-up is.');
    expect((await h.view(breachId)).facts.known).toEqual(before);
  });

  it("places the workflow's own refusal of merged facts at the endedAt field in Dutch", async () => {
    // The API has no page to check first: the workflow refuses the end before the recorded start.
    const res = await (await as(CISO)).post(`/api/breaches/${breachId}/facts`, { endedAt: '2026-11-30T08:00:00Z' });
    expect(res.statusCode).toBe(400);
    const { message } = JSON.parse(res.body) as { message: string };
    expect(message).toMatch(/^amendment\.endedAt: /);
    const errors = refusalByField(
      actionFields('facts', 'nl'),
      message,
      { code: 'ended-before-started', params: {} },
      'nl',
    );
    expect(errors).toEqual({
      endedAt: 'Dit moment ligt vóór het begin van het datalek: een datalek kan niet eindigen voordat het begon.',
    });
  });

  it('speaks English on the English page: labels, values and the refusal at its field', async () => {
    const form = await get(CISO, `/breaches/${breachId}/facts?lang=en`);
    for (const words of [
      'What happened',
      'Who has the data',
      'What kind of breach is it?',
      'Device stolen',
      'Wiped remotely',
    ])
      expect(form.body).toContain(words);
    expect(form.body).not.toContain('Wat is er gebeurd');
    const early = await post(CISO, `/breaches/${breachId}/facts?lang=en`, { endedAt: '30-11-2026 09:00' });
    expect(fieldError(early.body, 'endedAt')).toBe('Is before startedAt: a breach cannot end before it began');
  });
});

describe('where the data has left by the nature of the breach', () => {
  it('asks who holds it and whether it came back, not whether it was taken; a hack is asked about exfiltration', async () => {
    const breachId = await confirmedBreach();
    const res = await post(CISO, `/breaches/${breachId}/facts`, { breachType: 'misdirected-email' });
    expect(res.statusCode, res.body).toBe(303);
    const form = await get(CISO, `/breaches/${breachId}/facts`);
    expect(form.body).not.toContain('name="exfiltration"');
    expect(form.body).toContain('Niet van toepassing: bij dit soort datalek zijn de gegevens al weg.');
    for (const name of ['recipients', 'recipientCount', 'recovery']) expect(form.body).toContain(`name="${name}"`);
    expect(form.body).toContain('Bekende ontvangers zonder geheimhoudingsplicht');

    const hacked = await confirmedBreach();
    await post(CISO, `/breaches/${hacked}/facts`, { breachType: 'hacking' });
    const asked = await get(CISO, `/breaches/${hacked}/facts`);
    expect(asked.body).toContain('name="exfiltration"');
    // With the script, choosing a type where the data has left hides the question; without, its hint says so.
    expect(asked.body).toMatch(/data-depends-on="breachType" data-depends-values="misdirected-email [^"]*"/);

    // The first-picture task asks the same way: refused for a missing summary, it no longer asks exfiltration.
    await h.openTask(breachId, 'first-picture');
    const task = await post(CISO, `/breaches/${breachId}/tasks/first-picture`, {
      breachType: 'misdirected-post',
      dataCategories: ['ordinary'],
      approxPeople: '1',
      cause: 'wrong-recipient',
      stillLeaking: 'false',
    });
    expect(task.statusCode).toBe(422);
    expect(task.body).not.toContain('name="exfiltration"');
    expect(task.body).toContain('name="recovery"');
    expect(task.body).toContain('<legend>Wie heeft de gegevens</legend>');
  });
});
