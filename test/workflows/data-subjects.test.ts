import { signedCompletion } from '../support/acts';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { PlaybookSettings } from '../../activities';
import { isPermanentForRecipient } from '../../activities/smtp-errors';
import { messageIdFor } from '../../activities/email';
import { BreachRegister } from '../../register/store';
import type { NewRecipient } from '../../domain/register';
import { readRecipientsCsv, recipientsCommand } from '../../client/cli/recipients';
import { InvalidInputError } from '../../domain/errors';
import { cleanText, renderDataSubjectLetter, type DataSubjectLetter } from '../../domain/letters';
import { parseRecipientRows } from '../../domain/recipients';
import { answerSchemas } from '../../domain/tasks';
import { completeTaskUpdate, playbookViewQuery, type PlaybookState } from '../../workflows/messages';
import type { dataSubjectsWorkflow, DataSubjectsInput } from '../../workflows/data-subjects';
import { createLekdichtWorker, type LekdichtWorker, type LekdichtWorkerOptions } from '../../worker/create-worker';
import { Harness, eventually, testDataConverter } from '../support/harness';
import { COMMS, FG } from '../support/people';

const letterFor = (breachId: string): DataSubjectLetter => ({
  organisation: 'Testgemeente',
  breachId,
  nature:
    "Een medewerker heeft op 28 november per ongeluk een bestand met namen, adressen en BSN's naar een verkeerd e-mailadres gestuurd.",
  consequences: 'Iemand zou uw gegevens kunnen misbruiken, bijvoorbeeld voor identiteitsfraude of phishing.',
  measures:
    'De ontvanger heeft het bestand verwijderd en dat schriftelijk bevestigd. Wij hebben de Autoriteit Persoonsgegevens ingelicht.',
  contactPoint: 'Fenna FG, Functionaris Gegevensbescherming, fg@test.example, telefoon 14 020',
  advice: [
    'Wees alert op phishing: berichten die naar dit incident verwijzen.',
    'Meld misbruik van uw BSN bij het Centraal Meldpunt Identiteitsfraude.',
  ],
});

/** The product's own worker, optionally sending through another SMTP server (one that refuses some addresses). */
function workerWithDataSubjects(smtpPort?: () => number) {
  return (options: LekdichtWorkerOptions): Promise<LekdichtWorker> =>
    createLekdichtWorker({
      ...options,
      config: { ...options.config, smtp: { ...options.config.smtp, port: smtpPort?.() ?? options.config.smtp.port } },
    });
}

const settingsOf = (h: Harness): PlaybookSettings => ({
  organisation: h.config.organisation.name,
  language: h.config.language,
  directory: h.config.directory,
  timing: h.config.timing,
  acts: {
    publicKeys: h.config.acts.publicKeys,
    operatorActs: h.config.acts.operatorActs,
    maxAgeMs: h.config.acts.proofMaxAge,
  },
});

type DataSubjectsHandle = WorkflowHandleWithFirstExecutionRunId<typeof dataSubjectsWorkflow>;

async function startDataSubjects(
  h: Harness,
  extra: Partial<DataSubjectsInput> = {},
): Promise<{ id: string; handle: DataSubjectsHandle }> {
  const id = `breach-ds-${randomUUID()}`;
  const input: DataSubjectsInput = {
    breachId: id,
    settings: settingsOf(h),
    letter: letterFor(id),
    publicCommunication: false,
    ...extra,
  };
  const handle = await h.client.workflow.start<typeof dataSubjectsWorkflow>('dataSubjectsWorkflow', {
    workflowId: id,
    taskQueue: h.taskQueue,
    args: [input],
  });
  return { id, handle };
}

const view = (handle: DataSubjectsHandle): Promise<PlaybookState> => handle.query(playbookViewQuery);

async function waitForOpenTask(handle: DataSubjectsHandle, taskId: string): Promise<void> {
  await eventually(
    async () => (await view(handle)).tasks.some((t) => t.id === taskId && t.status === 'open'),
    `task ${taskId} to open`,
  );
}

async function completeRecipientList(handle: DataSubjectsHandle, uploaded: number): Promise<void> {
  await waitForOpenTask(handle, 'recipient-list');
  await handle.executeUpdate(completeTaskUpdate, {
    args: [
      signedCompletion(handle.workflowId, handle.workflowId, {
        taskId: 'recipient-list',
        actor: COMMS,
        answer: { uploaded },
      }),
    ],
  });
}

const people = (n: number, domain: string, extra: (i: number) => Partial<NewRecipient> = () => ({})): NewRecipient[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `Persoon ${String(i + 1).padStart(5, '0')}`,
    email: `p${i + 1}@${domain}`,
    ...extra(i),
  }));

/** Emails per address for one test's domain: every value must be exactly 1. */
function perAddress(h: Harness, domain: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of h.mailbox.withPurpose('data-subject')) {
    for (const to of mail.to) if (to.endsWith(`@${domain}`)) counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

describe('the CSV rows and the letter (pure)', () => {
  it('accepts rows with an email or a postal address, defaulting to Dutch', () => {
    const parsed = parseRecipientRows([
      { name: ' Jan Jansen ', email: ' Jan@Example.NL ', address: '', language: '' },
      { name: 'Piet Post', email: '', address: 'Dorpsstraat 1, 1234 AB Utrecht', language: 'EN' },
    ]);
    expect(parsed).toEqual({
      ok: true,
      rows: [
        { name: 'Jan Jansen', email: 'jan@example.nl', language: 'nl' },
        { name: 'Piet Post', address: 'Dorpsstraat 1, 1234 AB Utrecht', language: 'en' },
      ],
    });
  });

  it('names the row (as a spreadsheet numbers it) and the column of every problem', () => {
    const parsed = parseRecipientRows([
      { name: 'Goed', email: 'goed@example.nl', address: '', language: 'nl' },
      { name: '', email: 'not-an-email', address: '', language: 'de' },
      { name: 'Geen Adres', email: '', address: '', language: '' },
    ]);
    expect(parsed).toEqual({
      ok: false,
      errors: [
        'row 3: name: is required',
        'row 3: email: must be a valid email address',
        'row 3: language: must be nl or en',
        'row 4: give an email or a postal address',
      ],
    });
    expect(parseRecipientRows([{ naam: 'x', email: 'x@example.nl' }])).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^header: unknown column "naam"/), 'header: the column "name" is missing'],
    });
    const many = parseRecipientRows(Array.from({ length: 30 }, () => ({ name: 'x', email: 'bad' })));
    expect(many.ok ? [] : many.errors).toHaveLength(21);
    expect(many.ok ? '' : many.errors.at(-1)).toBe('and 10 more problems');
  });

  it('reads comma- and semicolon-separated files with a byte-order mark, and refuses a broken one', () => {
    expect(readRecipientsCsv('\uFEFFname,email,address,language\r\n"Jansen, J.",j@example.nl,,en\r\n')).toEqual([
      { name: 'Jansen, J.', email: 'j@example.nl', language: 'en' },
    ]);
    expect(readRecipientsCsv('Name;Email;Address;Language\nPiet;;Dorpsstraat 1, Utrecht;\n')).toEqual([
      { name: 'Piet', address: 'Dorpsstraat 1, Utrecht', language: 'nl' },
    ]);
    expect(() => readRecipientsCsv('name,email\nA,a@example.nl,extra\n')).toThrow(InvalidInputError);
    expect(() => readRecipientsCsv('name,email,address\nA,,\n')).toThrow(
      /--file: row 2: give an email or a postal address \(nothing was stored\)/,
    );
  });

  it('writes the art. 34 letter in plain Dutch by default, with the FG contact, the consequences, the measures and the advice', () => {
    const letter = letterFor('breach-0123456789abcdef0123');
    const { subject, text } = renderDataSubjectLetter(letter, 'nl', 'Jan Jansen');
    expect(subject).toBe('Datalek bij Testgemeente: uw persoonsgegevens zijn betrokken');
    expect(text.startsWith('Beste Jan Jansen,\n')).toBe(true);
    for (const part of [
      'Wat is er gebeurd?',
      letter.nature,
      'Wat kan dit voor u betekenen?',
      letter.consequences,
      'Wat hebben wij gedaan',
      letter.measures,
      'Wat kunt u zelf doen?',
      'Functionaris Gegevensbescherming (FG)',
      letter.contactPoint,
      'artikel 34',
      'Autoriteit Persoonsgegevens',
      'Kenmerk'.toLowerCase(),
    ]) {
      expect(text, part).toContain(part);
    }
    for (const advice of letter.advice) expect(text).toContain(`- ${advice}`);

    const en = renderDataSubjectLetter(letter, 'en', 'Jan Jansen');
    expect(en.subject).toBe('Data breach at Testgemeente: your personal data is involved');
    for (const part of [
      'Dear Jan Jansen,',
      'What happened?',
      'What may this mean for you?',
      'What can you do yourself?',
      'Data Protection Officer (DPO)',
      letter.contactPoint,
      '- Wees alert op phishing',
    ]) {
      expect(en.text, part).toContain(part);
    }
    expect(renderDataSubjectLetter(letter).text.startsWith('Geachte heer/mevrouw,')).toBe(true);
  });

  it('keeps free text plain: control characters go, newlines stay, no header injection through the subject', () => {
    expect(cleanText('a\u0000b\u0007c\r\nd\u202Ee\tf\u009B')).toBe('abc\nde f');
    const letter = {
      ...letterFor('b'),
      organisation: 'Org\r\nBcc: x@evil.example',
      nature: '<b>vet</b>\u0000 gebeurd\nregel 2',
    };
    const { subject, text } = renderDataSubjectLetter(letter, 'nl', 'Jan\nJansen');
    expect(subject).not.toMatch(/[\r\n]/);
    expect(text).toContain('<b>vet</b> gebeurd\nregel 2');
    expect(text).toContain('Beste Jan Jansen,');
    expect([...text].filter((ch) => ch.charCodeAt(0) < 32 && ch !== '\n')).toEqual([]);
  });

  it('tells a refusal of one recipient from a failure worth retrying', () => {
    expect(
      isPermanentForRecipient(
        Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }),
      ),
    ).toBe(true);
    expect(
      isPermanentForRecipient(Object.assign(new Error('x'), { code: 'EMESSAGE', responseCode: 554, command: 'DATA' })),
    ).toBe(true);
    expect(
      isPermanentForRecipient(
        Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }),
      ),
    ).toBe(false);
    expect(
      isPermanentForRecipient(
        Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 550, command: 'MAIL FROM' }),
      ),
    ).toBe(false);
    expect(
      isPermanentForRecipient(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET', command: 'CONN' })),
    ).toBe(false);
  });

  it('has answer schemas for the two new tasks', () => {
    expect(answerSchemas['recipient-list'].safeParse({ uploaded: 0 }).success).toBe(false);
    expect(answerSchemas['recipient-list'].safeParse({ uploaded: 2.5 }).success).toBe(false);
    expect(
      answerSchemas['public-communication'].safeParse({ publishedAt: 'gisteren', channel: 'website', reference: 'x' })
        .success,
    ).toBe(false);
  });

  it('stores the list in the register in one transaction, once per email address', async () => {
    const register = await BreachRegister.open(':memory:');
    try {
      expect(
        await register.addRecipients('b', [
          ...people(3, 'x.test'),
          { name: 'Dubbel', email: 'P1@X.test' },
          { name: 'Post', address: 'Straat 1' },
          { name: 'Post', address: 'Straat 1' },
        ]),
      ).toEqual({ added: 4, duplicates: 2 });
      expect(await register.addRecipients('b', people(4, 'x.test'))).toEqual({ added: 1, duplicates: 3 });
      await expect(
        register.addRecipients('b', [
          { name: 'Nieuw', email: 'new@x.test' },
          { name: 'Fout', email: 'f@x.test', language: 'de' as 'nl' },
        ]),
      ).rejects.toThrow();
      expect(await register.recipientCounts('b')).toEqual({ total: 5, pending: 5, sent: 0, failed: 0, toPrint: 0 });
      await register.markRecipient('b', 1, 'sent', { message_id: '<m@x>', sent_at: '2026-11-30T10:00:00Z' });
      expect((await register.pendingRecipients('b', 2)).map((r) => r.seq)).toEqual([2, 3]);
      expect(await register.recipientCounts('b')).toMatchObject({ pending: 4, sent: 1 });
    } finally {
      await register.close();
    }
  });
});

describe('informing 2,500 people by email, on the real server', () => {
  let h: Harness;
  const N = 2_500;

  beforeAll(async () => {
    h = await Harness.start({}, { createWorker: workerWithDataSubjects() });
  });
  afterAll(() => h?.close());

  it('sends every person exactly one Dutch (or English) art. 34 email, sets postal-only people aside and shows progress', async () => {
    const domain = 'bulk.test';
    const { id, handle } = await startDataSubjects(h);
    await waitForOpenTask(handle, 'recipient-list');
    const rows = [
      ...people(N, domain, (i) => (i % 10 === 9 ? { language: 'en' } : {})),
      ...Array.from({ length: 5 }, (_, i) => ({
        name: `Alleen Post ${i + 1}`,
        address: `Dorpsstraat ${i + 1}, 1234 AB Dorp`,
      })),
    ];
    expect(await h.register.addRecipients(id, rows)).toEqual({ added: N + 5, duplicates: 0 });

    const started = Date.now();
    await completeRecipientList(handle, N + 5);
    // Progress is visible while sending.
    const midway = await eventually(async () => {
      const p = (await view(handle)).facts.dataSubjects;
      return p && p.sent > 0 && p.sent < N ? p : undefined;
    }, 'progress part-way');
    expect(midway.total).toBe(N + 5);
    const result = await handle.result();
    const seconds = (Date.now() - started) / 1000;
    console.log(`data subjects: ${N} emails in ${seconds.toFixed(1)} s = ${Math.round(N / seconds)} emails/s`);

    expect(result).toMatchObject({ channel: 'email', total: N + 5, sent: N, failed: 0, toPrint: 5 });
    const counts = perAddress(h, domain);
    expect(counts.size).toBe(N);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);

    const mails = h.mailbox.withPurpose('data-subject');
    const first = mails.find((m) => m.to.includes(`p1@${domain}`))!;
    expect(first.subject).toBe('Datalek bij Testgemeente: uw persoonsgegevens zijn betrokken');
    expect(first.text).toContain('Beste Persoon 00001,');
    expect(first.text).toContain('Wat is er gebeurd?');
    expect(first.text).toContain('fg@test.example');
    expect(first.text).toContain('Meld misbruik van uw BSN');
    expect(first.messageId).toBe(messageIdFor(id, 'data-subject', `p1@${domain}`));
    const english = mails.find((m) => m.to.includes(`p10@${domain}`))!;
    expect(english.text).toContain('Dear Persoon 00010,');

    expect((await h.register.recipients(id, 'to-print')).map((r) => r.name)).toEqual([
      'Alleen Post 1',
      'Alleen Post 2',
      'Alleen Post 3',
      'Alleen Post 4',
      'Alleen Post 5',
    ]);
    expect(await h.register.recipientCounts(id)).toEqual({ total: N + 5, pending: 0, sent: N, failed: 0, toPrint: 5 });
    expect((await h.register.recipients(id, 'sent')).every((r) => r.message_id && r.sent_at)).toBe(true);

    const state = await view(handle);
    expect(state.facts.dataSubjects).toEqual({ total: N + 5, sent: N, failed: 0, toPrint: 5 });
    const batches = state.timeline.filter((e) => e.kind === 'data-subjects-batch').map((e) => e.text);
    // Batches of DATA_SUBJECT_BATCH_SIZE (1,000), the postal-only people in the last.
    expect(batches).toEqual([
      'Batch 1: 1,000 sent, 0 failed; 1,000 of 2,505 done',
      'Batch 2: 1,000 sent, 0 failed; 2,000 of 2,505 done',
      'Batch 3: 500 sent, 0 failed, 5 to print; 2,505 of 2,505 done',
    ]);
    expect(state.notifications).toEqual([
      { to: 'data-subjects', at: expect.any(String), recordedBy: 'lekdicht', late: false, channel: 'email' },
    ]);
    // Only counts in the history: no name or address of anyone on the list.
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain(domain);
    expect(history).not.toContain('Persoon 0');
    expect(history).not.toContain('Dorpsstraat');
  });

  it('survives a worker stopped in the middle of sending: still exactly one email each, continued across runs', async () => {
    const domain = 'crash.test';
    const n = 1_500;
    // Small batches, few per run: several runs for 1,500 people.
    const { id, handle } = await startDataSubjects(h, { batchesPerRun: 3, batchSize: 200 });
    await waitForOpenTask(handle, 'recipient-list');
    await h.register.addRecipients(id, people(n, domain));
    await completeRecipientList(handle, n);

    await eventually(() => perAddress(h, domain).size >= 300, 'the first emails');
    await h.stopWorker();
    const atStop = perAddress(h, domain).size;
    expect(atStop).toBeLessThan(n);
    await new Promise((r) => setTimeout(r, 500));
    expect(perAddress(h, domain).size).toBe(atStop);
    await h.startWorker();

    expect(await handle.result()).toMatchObject({ channel: 'email', total: n, sent: n, failed: 0, toPrint: 0 });
    const counts = perAddress(h, domain);
    expect(counts.size).toBe(n);
    expect([...counts.values()].filter((c) => c !== 1)).toEqual([]);
    expect(await h.register.recipientCounts(id)).toEqual({ total: n, pending: 0, sent: n, failed: 0, toPrint: 0 });

    // Batches of 200 (a batch cut short by the stop is made up by the next): 7 or 8 of them. The first run sends
    // the first batch and 3 more, each further run 3; every run replays deterministically.
    const state = await view(handle);
    const batches = state.timeline.filter((e) => e.kind === 'data-subjects-batch').length;
    expect(batches).toBeGreaterThanOrEqual(7);
    expect(batches).toBeLessThanOrEqual(8);
    const runs: string[] = [];
    for (let runId: string | null | undefined = handle.firstExecutionRunId; runId;) {
      runs.push(runId);
      const history = await h.client.workflow.getHandle(id, runId).fetchHistory();
      await expect(
        Worker.runReplayHistory(
          { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter() },
          history,
          id,
        ),
      ).resolves.toBeUndefined();
      runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    }
    expect(runs).toHaveLength(1 + Math.ceil((batches - 4) / 3));
    expect(state.tasks.map((t) => [t.id, t.status])).toEqual([['recipient-list', 'done']]);
    // The batch the stopped worker had is taken up again only after its heartbeat timeout (30 s).
  }, 150_000);

  it('records a public communication instead (art. 34(3)(c))', async () => {
    const { handle } = await startDataSubjects(h, { publicCommunication: true });
    await waitForOpenTask(handle, 'public-communication');
    const answer = {
      publishedAt: new Date().toISOString(),
      channel: 'website',
      reference: 'https://www.testgemeente.nl/datalek',
    };
    const refused = await handle
      .executeUpdate(completeTaskUpdate, {
        args: [
          signedCompletion(handle.workflowId, handle.workflowId, { taskId: 'public-communication', actor: FG, answer }),
        ],
      })
      .catch((err: Error) => err);
    expect(((refused as Error).cause as Error | undefined)?.message).toMatch(/does not hold the role "communications"/);
    await handle.executeUpdate(completeTaskUpdate, {
      args: [
        signedCompletion(handle.workflowId, handle.workflowId, {
          taskId: 'public-communication',
          actor: COMMS,
          answer,
        }),
      ],
    });
    expect(await handle.result()).toMatchObject({ channel: 'public-communication', notifiedAt: answer.publishedAt });
    expect((await view(handle)).notifications).toEqual([
      {
        to: 'data-subjects',
        at: answer.publishedAt,
        recordedBy: COMMS,
        late: false,
        channel: 'public-communication',
        reference: answer.reference,
      },
    ]);
  });

  it('records the people informed as late when it was after the target for informing them', async () => {
    const due = new Date(Date.now() - 3_600_000).toISOString();
    const { handle } = await startDataSubjects(h, { publicCommunication: true, due });
    await waitForOpenTask(handle, 'public-communication');
    const answer = { publishedAt: new Date().toISOString(), channel: 'website', reference: 'https://example.org/x' };
    await handle.executeUpdate(completeTaskUpdate, {
      args: [
        signedCompletion(handle.workflowId, handle.workflowId, {
          taskId: 'public-communication',
          actor: COMMS,
          answer,
        }),
      ],
    });
    await handle.result();
    expect((await view(handle)).notifications).toEqual([
      expect.objectContaining({ to: 'data-subjects', at: answer.publishedAt, late: true }),
    ]);
  });

  it('uploads a CSV through `lekdicht recipients upload`: a bad row stores nothing, a good file completes the task', async () => {
    const { id, handle } = await startDataSubjects(h);
    await waitForOpenTask(handle, 'recipient-list');
    // The breach workflow answers caseView with its children's tasks; standing in for it, ask the playbook itself.
    const client = new Client({
      connection: h.client.connection,
      namespace: inject('temporalNamespace'),
      dataConverter: testDataConverter(),
      interceptors: {
        workflow: [
          {
            query: async (input, next) =>
              next(input.queryType === 'caseView' ? { ...input, queryType: 'playbookView' } : input),
          },
        ],
      },
    });
    const out: string[] = [];
    const env = {
      ...process.env,
      LEKDICHT_CONFIG: 'config/example.yaml',
      LEKDICHT_REGISTER_PATH: h.config.register.path,
    };
    const run = (args: string[]) =>
      recipientsCommand(async () => client, env, { out: (s) => out.push(s), err: () => undefined }).parseAsync(args, {
        from: 'user',
      });
    const dir = mkdtempSync(join(tmpdir(), 'lekdicht-recipients-'));

    writeFileSync(join(dir, 'bad.csv'), 'name,email,address,language\nA,a@csv.test,,\nB,not-an-email,,\n');
    await expect(run(['upload', id, '--file', join(dir, 'bad.csv'), '--as', COMMS])).rejects.toThrow(
      '--file: row 3: email: must be a valid email address',
    );
    expect((await h.register.recipientCounts(id)).total).toBe(0);

    writeFileSync(
      join(dir, 'people.csv'),
      'name,email,address,language\nAnna,anna@csv.test,,\n"Bakker, B.",B@csv.test,,en\nCees,anna@csv.test,,\nDirk,,"Kerkstraat 2, Dorp",\n',
    );
    // Someone without the communications role: the workflow refuses; the rows stay, and a rerun completes the task.
    await expect(run(['upload', id, '--file', join(dir, 'people.csv'), '--as', FG])).rejects.toThrow(
      /does not hold the role "communications"/,
    );
    expect(await h.register.recipientCounts(id)).toMatchObject({ total: 3, pending: 3 });
    await run(['upload', id, '--file', join(dir, 'people.csv'), '--as', COMMS]);
    expect(out).toEqual(['0 recipients stored (4 duplicates skipped)']);
    expect((await view(handle)).tasks[0]?.answer).toEqual({ uploaded: 3 });
    expect(await handle.result()).toMatchObject({ total: 3, sent: 2, toPrint: 1 });
    expect(perAddress(h, 'csv.test')).toEqual(
      new Map([
        ['anna@csv.test', 1],
        ['b@csv.test', 1],
      ]),
    );
    await expect(run(['upload', id, '--file', join(dir, 'people.csv'), '--as', COMMS])).rejects.toThrow(
      /no open recipient-list task/,
    );
  });
});

describe('an SMTP server that refuses one address for good and another for now', () => {
  let h: Harness;
  const received: string[] = [];
  let tempfailed = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      if (address.address === 'gone@reject.test')
        return callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      if (address.address === 'busy@reject.test' && !tempfailed) {
        tempfailed = true;
        return callback(Object.assign(new Error('4.2.0 try again later'), { responseCode: 451 }));
      }
      callback();
    },
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          received.push(
            ...[mail.to ?? []]
              .flat()
              .flatMap((a) => a.value.map((v) => v.address ?? ''))
              .filter((a) => a.endsWith('@reject.test')),
          );
          callback();
        })
        .catch(callback);
    },
  });

  beforeAll(async () => {
    // A connection broken off mid-transaction is an 'error' event on the server; unheard, it would crash the run.
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    h = await Harness.start(
      {},
      { createWorker: workerWithDataSubjects(() => (server.server.address() as AddressInfo).port) },
    );
  });
  afterAll(async () => {
    await h?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('marks the refused one failed with the reply, retries the batch for the 451 and sends the rest once', async () => {
    const { id, handle } = await startDataSubjects(h);
    await waitForOpenTask(handle, 'recipient-list');
    const rows = [
      ...people(30, 'reject.test'),
      { name: 'Weg', email: 'gone@reject.test' },
      { name: 'Druk', email: 'busy@reject.test' },
    ];
    await h.register.addRecipients(id, rows);
    await completeRecipientList(handle, rows.length);

    expect(await handle.result()).toMatchObject({ total: 32, sent: 31, failed: 1, toPrint: 0 });
    expect(tempfailed).toBe(true);
    expect(received).toHaveLength(31);
    expect(new Set(received).size).toBe(31);
    expect(received).not.toContain('gone@reject.test');
    expect(received).toContain('busy@reject.test');
    const failed = await h.register.recipients(id, 'failed');
    expect(failed.map((r) => r.email)).toEqual(['gone@reject.test']);
    expect(failed[0]?.error).toMatch(/550/);
    expect((await view(handle)).facts.dataSubjects).toEqual({ total: 32, sent: 31, failed: 1, toPrint: 0 });
  });
});
