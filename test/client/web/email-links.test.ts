import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webPages } from '../../../client/http/web-pages';
import { publicUrlOf } from '../../../domain/service-config';
import { PRACTICE_NOTICE } from '../../../domain/practice';
import { TASK_TITLES } from '../../../domain/labels';
import { Harness, eventually } from '../../support/harness';
import { HttpFixture } from '../../support/http';
import { answers, signal } from '../../support/answers';
import { cliEnv, runLekdicht } from '../../support/cli';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CISO, FG } from '../../support/people';

/**
 * Issue 13: people work a breach from their email. In practice mode (as `npm start` runs on its defaults) a task's
 * email links to the task's form, the CLI line after it; following the link with a session reaches the form, and
 * both the email and the page say it is practice. A list of people affected with a real address is refused.
 */

let h: Harness;
let fx: HttpFixture;
let breachId: string;

beforeAll(async () => {
  h = await Harness.start({}, { practice: true });
  fx = await HttpFixture.start(h, { pages: [webPages], config: (c) => ({ ...c, practice: true }) });
  breachId = await h.report(signal());
});

afterAll(async () => {
  await fx?.close();
  await h?.close();
});

/** The first line of the email's text that starts with `label`, without the label. */
function lineAfter(text: string, label: string): { value: string; index: number } {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.startsWith(label));
  expect(index, `a line "${label}…" in:\n${text}`).toBeGreaterThanOrEqual(0);
  return { value: lines[index]!.slice(label.length).trim(), index };
}

describe('a task email leads to the task page', () => {
  it("the FG's triage email links to the triage form, the CLI command after it; the link opens the form", async () => {
    const [mail] = await eventually(() => {
      const mails = h.mailbox
        .withPurpose('task-assigned:triage')
        .filter((m) => m.to.includes(FG) && m.subject.includes(breachId));
      return mails.length > 0 ? mails : undefined;
    }, 'the triage email to the FG');
    expect(mail).toBeDefined();
    const link = lineAfter(mail!.text, 'Open de taak en vul het formulier in:');
    const cli = lineAfter(mail!.text, 'Of op de opdrachtregel: npx lekdicht task complete');
    expect(link.value).toBe(`${publicUrlOf(h.config.http)}/breaches/${breachId}/tasks/triage`);
    expect(cli.index).toBeGreaterThan(link.index);

    // Followed as the FG, logged in: the triage task's form.
    const agent = await fx.as(FG);
    const url = new URL(link.value);
    const page = await agent.get(`${url.pathname}${url.search}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<form class="task" method="post" action="\/breaches\/[^"]+\/tasks\/triage"/);
    // Practice, said on the page the email led to.
    expect(page.body).toContain('class="practice-banner"');
    expect(page.body).toContain(PRACTICE_NOTICE.nl);

    // Not logged in, the same link goes to the login page and back to the form afterwards.
    const anonymous = await fx.agent().get(`${url.pathname}${url.search}`);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(url.pathname)}`);
  });

  it('in practice mode the email says so in its subject and first line, and every page carries the banner', async () => {
    const [mail] = h.mailbox.withPurpose('task-assigned:triage').filter((m) => m.subject.includes(breachId));
    expect(mail?.subject).toBe(`[OEFENING] [${breachId}] Nieuwe taak: ${TASK_TITLES.triage.nl}`);
    expect(mail?.text.split('\n')[0]).toBe(PRACTICE_NOTICE.nl);
    const agent = await fx.as(FG);
    for (const path of ['/', '/tasks', `/breaches/${breachId}`, '/register', '/breaches/breach-00000000000000000000']) {
      const page = await agent.get(path);
      expect(page.body, path).toContain(PRACTICE_NOTICE.nl);
    }
    expect((await agent.get('/?lang=en')).body).toContain(PRACTICE_NOTICE.en);
    expect((await fx.agent().get('/login')).body).toContain(PRACTICE_NOTICE.nl);
  });

  it('the next task goes to its role with its own link (first picture, CISO)', async () => {
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    const mails = await eventually(() => {
      const found = h.mailbox.withPurpose('task-assigned:first-picture').filter((m) => m.subject.includes(breachId));
      return found.length > 0 ? found : undefined;
    }, 'the first-picture email');
    expect(mails.flatMap((m) => m.to)).toEqual([CISO]);
    const link = lineAfter(mails[0]!.text, 'Open de taak en vul het formulier in:');
    const page = await (await fx.as(CISO)).get(new URL(link.value).pathname);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<form class="task" method="post" action="\/breaches\/[^"]+\/tasks\/first-picture"/);
  });
});

describe('practice mode: no letters to real addresses', () => {
  it('`lekdicht recipients upload` refuses a list with a real address in Dutch, naming the row, and stores nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lekdicht-practice-csv-')), 'people.csv');
    writeFileSync(file, 'name,email\nTest Persoon,test@oefen.test\nEchte Persoon,jan@gmail.com\n');
    const run = await runLekdicht(
      ['recipients', 'upload', breachId, '--file', file, '--as', 'communicatie@voorbeeld.nl'],
      cliEnv(h, { LEKDICHT_PRACTICE: '1' }),
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('rij 3: email: in een oefening gaan brieven alleen naar testadressen');
    expect(run.stderr).toContain('"gmail.com" is een echt domein');
    expect(run.stderr).toContain('er is niets opgeslagen');
    expect((await h.register.recipientCounts(breachId)).total).toBe(0);
  });
});
