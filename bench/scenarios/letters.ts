import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { DATA_SUBJECT_PURPOSE } from '../../activities/data-subjects';
import { noDelaySocket } from '../../worker/mail-transport';
import { messageIdFor } from '../../activities/email';
import { renderDataSubjectLetter, type DataSubjectLetter } from '../../domain/letters';
import type { NewRecipient } from '../../domain/register';
import { completeTaskUpdate, playbookViewQuery } from '../../workflows/messages';
import type { dataSubjectsWorkflow, DataSubjectsInput } from '../../workflows/data-subjects';
import { COMMS } from '../../test/support/people';
import { settingsOf, since, sleep, until } from '../breaches';
import { median, row } from '../results';
import { countOf, interleaved, type Scenario } from '../scenario';
import { inParallel, Rig } from '../stack';
import type { SmtpSink } from '../sink';

/** The letter of test/workflows/data-subjects.test.ts: a real one's length (~1.9 kB with its headers). */
const letterFor = (breachId: string): DataSubjectLetter => ({
  organisation: 'Benchgemeente',
  breachId,
  nature:
    "Een medewerker heeft op 28 november per ongeluk een bestand met namen, adressen en BSN's naar een verkeerd e-mailadres gestuurd.",
  consequences: 'Iemand zou uw gegevens kunnen misbruiken, bijvoorbeeld voor identiteitsfraude of phishing.',
  measures:
    'De ontvanger heeft het bestand verwijderd en dat schriftelijk bevestigd. Wij hebben de Autoriteit Persoonsgegevens ingelicht.',
  contactPoint: 'Fenna FG, Functionaris Gegevensbescherming, fg@bench.example, telefoon 14 020',
  advice: [
    'Wees alert op phishing: berichten die naar dit incident verwijzen.',
    'Meld misbruik van uw BSN bij het Centraal Meldpunt Identiteitsfraude.',
  ],
});

const people = (n: number, domain: string): NewRecipient[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `Persoon ${String(i + 1).padStart(6, '0')}`,
    email: `p${i + 1}@${domain}`,
  }));

/** Per recipient of the domain, the letters the sink accepted: duplicates, missing, and their median size. */
function countAt(sink: SmtpSink, domain: string, n: number) {
  const mine = sink.mails.filter(
    (m) => m.purpose === DATA_SUBJECT_PURPOSE && m.to.some((t) => t.endsWith(`@${domain}`)),
  );
  const per = new Map<string, number>();
  for (const mail of mine) for (const to of mail.to) per.set(to, (per.get(to) ?? 0) + 1);
  let duplicates = 0;
  for (const copies of per.values()) duplicates += copies - 1;
  return { accepted: mine.length, duplicates, missing: n - per.size, bytes: median(mine.map((m) => m.bytes)) };
}

/**
 * lekdicht's way: the data-subjects playbook on its own (as its tests run it), the people in the register, the
 * recipient-list task completed by update; timed from that update until the playbook has finished (every letter
 * sent and marked). Returns letters per second. `during` runs beside the sending (the kill).
 */
async function lekdichtLetters(rig: Rig, n: number, domain: string, during?: (id: string) => Promise<void>) {
  const id = `breach-bench-${randomUUID()}`;
  await rig.register.addRecipients(id, people(n, domain));
  const input: DataSubjectsInput = {
    breachId: id,
    settings: settingsOf(rig),
    letter: letterFor(id),
    publicCommunication: false,
  };
  const handle = await rig.client.workflow.start<typeof dataSubjectsWorkflow>('dataSubjectsWorkflow', {
    workflowId: id,
    taskQueue: rig.queues.lekdicht,
    args: [input],
  });
  await until(
    async () =>
      (await handle.query(playbookViewQuery)).tasks.some((t) => t.id === 'recipient-list' && t.status === 'open') ||
      undefined,
    'the recipient-list task',
  );
  const answer = { uploaded: n };
  const authority = rig.signer({
    breachId: id,
    workflowId: id,
    message: 'completeTask',
    taskId: 'recipient-list',
    actor: COMMS,
    body: answer,
  });
  const start = performance.now();
  await handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId: 'recipient-list', actor: COMMS, answer, ...authority }],
  });
  await Promise.all([handle.result(), during?.(id)]);
  return n / (since(start) / 1_000);
}

/** The baseline: raw nodemailer, a pool of 5 (as the worker's) on no-delay sockets, the same letters and headers. */
async function rawLetters(rig: Rig, n: number, domain: string) {
  const id = `breach-bench-${randomUUID()}`;
  const letter = letterFor(id);
  const transport = nodemailer.createTransport({
    host: rig.config.smtp.host,
    port: rig.config.smtp.port,
    secure: false,
    pool: true,
    maxConnections: 5,
    getSocket: noDelaySocket,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  const start = performance.now();
  try {
    await inParallel(people(n, domain), 50, async (person) => {
      const { subject, text } = renderDataSubjectLetter(letter, 'nl', person.name);
      await transport.sendMail({
        from: { name: letter.organisation, address: 'lekdicht@bench.example' },
        to: { name: person.name, address: person.email! },
        subject,
        text,
        messageId: messageIdFor(id, DATA_SUBJECT_PURPOSE, person.email!),
        headers: { 'X-Lekdicht-Breach': id, 'X-Lekdicht-Purpose': DATA_SUBJECT_PURPOSE },
      });
    });
    return n / (since(start) / 1_000);
  } finally {
    transport.close();
  }
}

/** Art. 34 letters to N people through the product's worker against raw nodemailer: letters per second. */
export const letters: Scenario = async (options) => {
  const n = countOf(options, 'letters', 10_000);
  const rig = await Rig.start(options.target);
  const rates = { lekdicht: [] as number[], baseline: [] as number[] };
  const sizes = { lekdicht: [] as number[], baseline: [] as number[] };
  const wrong: string[] = [];
  try {
    await rig.startWorker('lekdicht');
    for (let rep = 0; rep < options.reps; rep++) {
      const domains = { lekdicht: `l${rep}.lekdicht.bench.example`, baseline: `l${rep}.raw.bench.example` };
      await interleaved(
        rep,
        async () => void rates.lekdicht.push(await lekdichtLetters(rig, n, domains.lekdicht)),
        async () => void rates.baseline.push(await rawLetters(rig, n, domains.baseline)),
      );
      for (const kind of ['lekdicht', 'baseline'] as const) {
        const count = countAt(rig.sink, domains[kind], n);
        sizes[kind].push(count.bytes);
        if (count.duplicates + count.missing > 0)
          wrong.push(`${kind}: ${count.duplicates} duplicates, ${count.missing} missing`);
      }
      options.log(
        `letters rep ${rep + 1}: ${rates.lekdicht.at(-1)!.toFixed(0)}/s vs ${rates.baseline.at(-1)!.toFixed(0)}/s`,
      );
    }
  } finally {
    await rig.close();
  }
  if (wrong.length > 0) throw new Error(`letters: not every person got exactly one letter: ${wrong.join('; ')}`);
  return [
    row({
      scenario: 'letters',
      what: `art. 34 letters to ${n} people, SMTP sink on loopback`,
      unit: 'msg/s',
      lekdicht: rates.lekdicht,
      baseline: rates.baseline,
      goal: '≥ 0.8×',
      check: ({ ratio }) => ratio !== null && ratio >= 0.8,
      detail: {
        letters: n,
        bytesLekdicht: median(sizes.lekdicht),
        bytesBaseline: median(sizes.baseline),
        reps: options.reps,
      },
    }),
  ];
};

/**
 * N letters with the worker process SIGKILLed when half are in, and started again; then counted at the sink by
 * recipient. The sink holds its answers to the letters in flight before the kill (none of them delivered), so the
 * count measures how the playbook resumes, not the window no sender can close (the server's 250 sent, the
 * sender dead before it reads it). One run: duplicates and missing are counts, not timings.
 */
export const lettersKill: Scenario = async (options) => {
  const n = countOf(options, 'letters', 100_000, 4);
  const rig = await Rig.start(options.target, { place: 'child' });
  const domain = 'kill.lekdicht.bench.example';
  let killedAt = 0;
  let rate: number;
  try {
    await rig.startWorker('lekdicht');
    // Counted as they come, and the sink stops answering at exactly half, in the same turn as the letter that
    // makes it half: however fast the worker sends, the kill lands mid-run.
    let accepted = 0;
    rig.sink.onAccepted = (mail) => {
      if (!mail.to.some((t) => t.endsWith(`@${domain}`))) return;
      accepted += 1;
      if (accepted === Math.ceil(n / 2)) rig.sink.hold();
    };
    rate = await lekdichtLetters(rig, n, domain, async () => {
      await until(async () => (accepted >= Math.ceil(n / 2) ? true : undefined), 'half the letters');
      // Letters already answered get marked sent; the ones in flight now wait on the sink.
      await sleep(500);
      killedAt = accepted;
      await rig.killWorker('lekdicht');
      rig.sink.release();
      await rig.startWorker('lekdicht');
    });
  } finally {
    await rig.close();
  }
  const count = countAt(rig.sink, domain, n);
  options.log(`letters-kill: killed at ${killedAt} of ${n}; ${count.duplicates} duplicates, ${count.missing} missing`);
  const detail = { letters: n, killedAt, accepted: count.accepted, lettersPerSecond: Number(rate.toFixed(1)) };
  return [
    row({
      scenario: 'letters-kill',
      what: `${n} letters, worker SIGKILLed at half: duplicates`,
      unit: '',
      lekdicht: [count.duplicates],
      goal: '0',
      check: ({ lekdicht }) => lekdicht === 0,
      detail,
    }),
    row({
      scenario: 'letters-kill',
      what: `${n} letters, worker SIGKILLed at half: missing`,
      unit: '',
      lekdicht: [count.missing],
      goal: '0',
      check: ({ lekdicht }) => lekdicht === 0,
      detail,
    }),
  ];
};
