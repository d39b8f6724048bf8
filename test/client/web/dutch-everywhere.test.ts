import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Task, TaskKind } from '../../../domain/tasks';
import { webPages } from '../../../client/http/web-pages';
import { answers, signal } from '../../support/answers';
import { englishSentences, visibleText } from '../../support/english';
import { Harness, eventually } from '../../support/harness';
import { HttpFixture, type Agent } from '../../support/http';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER, SPONSOR, directory } from '../../support/people';

/**
 * Dutch everywhere: a breach is walked from its signal to closed, and every page a Dutch reader opens on the way
 * (dashboard, my tasks, the breach page in each phase, each open task's form, the register and its CSV) and every
 * email the mailbox catches is read by the English detector (test/support/english.ts). What people type stays as
 * they typed it, so the answers here are written in Dutch: what is left English is lekdicht's own text.
 */

let h: Harness;
let fx: HttpFixture;
let fg: Agent;
let breachId: string;
/** Every English sentence found, by the page or email it was on. */
const found = new Map<string, string[]>();

/** Free text (anything with a space) in Dutch; enum values, dates and addresses have none and stay. */
function inDutch<T>(value: T): T {
  if (typeof value === 'string') return (value.includes(' ') ? 'Tekst zoals de medewerker die schreef.' : value) as T;
  if (Array.isArray(value)) return value.map(inDutch) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inDutch(v)])) as T;
  return value;
}

function check(where: string, text: string): void {
  const english = englishSentences(text);
  if (english.length > 0) found.set(where, [...(found.get(where) ?? []), ...english]);
}

async function page(url: string): Promise<void> {
  const res = await fg.get(url);
  expect(res.statusCode, url).toBe(200);
  check(url, url.endsWith('.csv') ? res.body : visibleText(res.body));
}

/** Every page the FG reads in this phase: the overview, my tasks, the breach and each open task's form. */
async function readEveryPage(): Promise<void> {
  await page('/');
  await page('/tasks');
  await page(`/breaches/${breachId}`);
  for (const task of (await h.view(breachId)).tasks.filter((t) => t.status === 'open'))
    await page(`/breaches/${breachId}/tasks/${task.id}`);
}

/**
 * A notification dated tomorrow passes the form's own parsing; the workflow's validator refuses it, and the page
 * says so in Dutch at the field it is about, not in English above the form.
 */
async function futureRefusedAtItsField(taskId: string): Promise<void> {
  const url = `/breaches/${breachId}/tasks/${taskId}`;
  const form = await fg.get(url);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const tomorrow = new Date(Date.now() + 86_400_000 + 3_600_000).toISOString().slice(0, 16);
  const res = await fg.request('POST', url, { form: { _csrf: csrf, notifiedAt: tomorrow, reference: 'AP-1' } });
  expect(res.statusCode, res.body.slice(0, 500)).toBe(422);
  const atField = /id="f-notifiedAt-error"[^>]*>([\s\S]*?)<\/p>/.exec(res.body)?.[1] ?? '';
  expect(atField).toContain('Dit moment ligt in de toekomst');
  check(`${url} (refused)`, visibleText(res.body));
}

const byRole: Record<string, string> = {
  fg: FG,
  ciso: CISO,
  'process-owner': PROCESS_OWNER,
  ict: ICT,
  communications: COMMS,
  kcc: COMMS,
  'executive-sponsor': SPONSOR,
};

const answerFor: Partial<Record<TaskKind, () => unknown>> = {
  triage: () => answers.triageBreach(),
  'first-picture': () => answers.firstPicture(),
  containment: () => answers.containment(false),
  'containment-confirmation': () => answers.confirmContainment(true),
  impact: () => answers.impact(),
  'notification-decision': () => answers.decision(true, true),
  'authority-notification': () => answers.authorityNotification(),
  'data-subject-notification': () => answers.dataSubjectNotification(),
  'organisation-interest': () => ({ outcome: 'Afgehandeld.' }),
  aftercare: () => answers.aftercare(),
  'aftercare-follow-up': () => answers.followUp(false),
  'aftercare-close': () => ({ close: true, note: 'Geen vragen meer.' }) satisfies Answer<'aftercare-close'>,
  evaluation: () => answers.evaluation(),
  'improvement-action': () => ({ done: true, note: 'Gedaan.' }) satisfies Answer<'improvement-action'>,
};

beforeAll(async () => {
  h = await Harness.start({ containmentRecheck: '1s', aftercareFollowUps: ['1s'], evaluationAfter: '1s' });
  fx = await HttpFixture.start(h, { pages: [webPages] });
  fg = await fx.as(FG);
});

afterAll(async () => {
  await fx?.close();
  await h?.close();
});

describe('Dutch pages and emails hold no English sentence', () => {
  it('from the signal to closed: every page in each phase, the register, the CSV and every email', async () => {
    breachId = await h.report(signal({ summary: 'Uitgaande e-mail met 120 BSN-nummers te laat tegengehouden' }));
    const worked: string[] = [];
    for (;;) {
      const view = await h.view(breachId);
      if (view.phase === 'closed') break;
      const next: Task | undefined = view.tasks.find((t) => t.status === 'open');
      if (!next) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      await readEveryPage();
      if (next.kind === 'authority-notification') await futureRefusedAtItsField(next.id);
      const answer = answerFor[next.kind];
      if (!answer) throw new Error(`no answer for ${next.kind} (${next.id})`);
      const person =
        next.assignee ?? byRole[next.role] ?? directory.find((p) => p.roles.includes(next.role as never))?.email;
      if (!person) throw new Error(`nobody holds ${next.role}`);
      await h.complete(breachId, next.id, person, inDutch(answer()));
      await eventually(
        async () => (await h.view(breachId)).tasks.find((t) => t.id === next.id)?.status !== 'open',
        `${next.id} done`,
      );
      worked.push(next.id);
      if (worked.length > 30) throw new Error(`not closed after ${worked.join(', ')}`);
    }
    expect(worked).toEqual(expect.arrayContaining(['triage', 'notification-decision', 'evaluation']));
    await readEveryPage();
    await page('/register');
    await page('/register.csv');
    // The closing email is the last one sent: wait for it, then read them all.
    await eventually(async () => h.mailbox.withPurpose('breach-closed').length > 0, 'the closing email');
    for (const mail of h.mailbox.mails)
      check(`email ${mail.purpose} to ${mail.to.join(',')}`, `${mail.subject}\n${mail.text}`);

    const report = [...found].map(([where, sentences]) => `${where}:\n  ${[...new Set(sentences)].join('\n  ')}`);
    expect(report.join('\n')).toBe('');
  }, 300_000);
});
