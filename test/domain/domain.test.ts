import { runDetails } from '../../domain/run-details';
import { describe, expect, it } from 'vitest';
import { authorityDeadline, checkAwareAt, upcomingReminders } from '../../domain/deadlines';
import { parseDuration } from '../../domain/duration';
import { configSchema } from '../../domain/config';
import { describeIssues } from '../../domain/errors';
import { checkCompletion } from '../../domain/completion';
import { directorySchema, escalationFor, mayActFor } from '../../domain/roles';
import { breachSignalSchema } from '../../domain/signal';
import { readdirSync, readFileSync } from 'node:fs';
import { answerSchemas, TASK_KINDS, type Task } from '../../domain/tasks';
import { directory as testDirectory, CISO, FG, FG_DEPUTY, ICT } from '../support/people';

const HOUR = 3_600_000;
const directory = directorySchema.parse(testDirectory);

describe('deadlines (GDPR art. 33(1): 72 hours after awareness)', () => {
  it('is 72 hours of elapsed time after awareness', () => {
    expect(authorityDeadline('2026-11-28T09:30:00.000Z')).toBe('2026-12-01T09:30:00.000Z');
  });

  it('stays 72 elapsed hours across the end of summer time (the wall clock shows 71)', () => {
    // 24 Oct 2026 12:00 CEST (UTC+2); the clocks go back on 25 Oct.
    const deadline = authorityDeadline('2026-10-24T10:00:00.000Z');
    expect(Date.parse(deadline) - Date.parse('2026-10-24T10:00:00.000Z')).toBe(72 * HOUR);
    expect(
      new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', timeStyle: 'short' }).format(new Date(deadline)),
    ).toBe('11:00');
  });

  it('accepts an awareness time with an offset and returns UTC', () => {
    expect(authorityDeadline('2026-11-28T10:30:00+01:00')).toBe('2026-12-01T09:30:00.000Z');
  });

  it('schedules the reminders still ahead, at 24, 48, 60 and 70 hours by default', () => {
    const awareAt = '2026-11-28T00:00:00.000Z';
    const deadline = authorityDeadline(awareAt);
    const offsets = [24, 48, 60, 70].map((h) => h * HOUR);
    const all = upcomingReminders(awareAt, deadline, offsets, Date.parse(awareAt));
    expect(all.map((r) => [r.at, r.hoursLeft])).toEqual([
      ['2026-11-29T00:00:00.000Z', 48],
      ['2026-11-30T00:00:00.000Z', 24],
      ['2026-11-30T12:00:00.000Z', 12],
      ['2026-11-30T22:00:00.000Z', 2],
    ]);
    // Started 50 hours in: only 60 h and 70 h remain.
    expect(
      upcomingReminders(awareAt, deadline, offsets, Date.parse(awareAt) + 50 * HOUR).map((r) => r.hoursLeft),
    ).toEqual([12, 2]);
    // Offsets at or past the deadline are never reminders.
    expect(upcomingReminders(awareAt, deadline, [72 * HOUR, 80 * HOUR], Date.parse(awareAt))).toEqual([]);
  });

  it('refuses an awareness time in the future, allows one in the past', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(checkAwareAt('2026-11-28T14:00:00Z', now)).toMatch(/future/);
    expect(checkAwareAt('2026-11-20T14:00:00Z', now)).toBeUndefined();
  });
});

describe('durations in the config', () => {
  it('parses units and refuses prose', () => {
    expect(parseDuration('72h')).toBe(72 * HOUR);
    expect(parseDuration('14d')).toBe(14 * 24 * HOUR);
    expect(parseDuration('1.5h')).toBe(1.5 * HOUR);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('4 hours')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});

describe('config validation names the bad key', () => {
  const valid = { organisation: { name: 'X' }, smtp: { from: 'x <x@example.org>' }, directory: testDirectory };

  it('fills defaults: Dutch, 72 h reminders at 24/48/60/70 h', () => {
    const config = configSchema.parse(valid);
    expect(config.language).toBe('nl');
    expect(config.timing.notificationReminders).toEqual([24, 48, 60, 70].map((h) => h * HOUR));
    expect(config.timing.containmentRecheck).toBe(4 * HOUR);
    expect(config.timing.evaluationAfter).toBe(14 * 24 * HOUR);
    expect(config.timing.watchEvery).toBe(60_000);
  });

  it.each([
    [{ ...valid, smtp: { from: 'x', port: 0 } }, /smtp\.port: Too small.*; smtp\.from: is required/],
    [{ ...valid, timing: { triageDue: '4 hours' } }, /timing\.triageDue: "4 hours" is not a duration/],
    [
      { ...valid, timing: { dataSubjectNotificationDue: '48h' } },
      /timing\.dataSubjectNotificationDue: has moved: set organisation\.profile\.dataSubjectTarget instead/,
    ],
    [{ ...valid, timing: { watchEvery: '500ms' } }, /timing\.watchEvery: must be between 1s and 1h/],
    [{ ...valid, timing: { watchEvery: '2h' } }, /timing\.watchEvery: must be between 1s and 1h/],
    [{ ...valid, timing: { watchEvery: 'often' } }, /timing\.watchEvery: "often" is not a duration/],
    [{ ...valid, colour: 'red' }, /colour: is not a known field/],
    [
      { ...valid, directory: [{ name: 'A', email: 'not-an-email', roles: ['fg'] }] },
      /directory\.0\.email: must be an email address/,
    ],
    [{ ...valid, directory: [{ name: 'A', email: 'a@x.nl', roles: ['wizard'] }] }, /directory\.0\.roles\.0: /],
    [
      { ...valid, directory: testDirectory.filter((p) => !p.roles.includes('ict')) },
      /directory: nobody holds the role "ict"/,
    ],
    [
      {
        ...valid,
        directory: [...testDirectory, { name: 'Z', email: 'z@x.nl', roles: ['legal'], deputy: 'ghost@x.nl' }],
      },
      /directory\.7\.deputy: deputy ghost@x.nl is not in the directory/,
    ],
  ])('refuses %#', (input, message) => {
    const result = configSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toMatch(message);
  });
});

describe('roles and escalation', () => {
  it('lets holders of the role and their deputies act, nobody else', () => {
    expect(mayActFor(directory, 'fg', FG)).toBe(true);
    expect(mayActFor(directory, 'ciso', FG)).toBe(true); // FG deputises for the CISO
    expect(mayActFor(directory, 'ict', CISO)).toBe(true);
    expect(mayActFor(directory, 'fg', ICT)).toBe(false);
    expect(mayActFor(directory, 'fg', 'FG@Test.Example')).toBe(true);
  });

  it('escalates to the deputies of the role holders, else to the FG', () => {
    expect(escalationFor(directory, 'ict').map((p) => p.email)).toEqual([CISO]);
    expect(
      escalationFor(directory, 'fg')
        .map((p) => p.email)
        .sort(),
    ).toEqual([FG, FG_DEPUTY].sort());
    expect(
      escalationFor(directory, 'legal')
        .map((p) => p.email)
        .sort(),
    ).toEqual([FG, FG_DEPUTY].sort());
  });
});

describe('task completion check (what the update validator runs)', () => {
  const task: Task = {
    id: 'authority-notification',
    kind: 'authority-notification',
    role: 'fg',
    title: 't',
    playbook: 'notification',
    workflowId: 'w',
    createdAt: '2026-11-28T00:00:00Z',
    due: '2026-12-01T00:00:00Z',
    status: 'open',
    overdue: false,
  };
  const now = Date.parse('2026-12-02T00:00:00Z');

  it('demands the reasons for delay only when the notification was late', () => {
    const deadline = '2026-12-01T00:00:00.000Z';
    const late = checkCompletion(
      task,
      { taskId: task.id, actor: FG, answer: { notifiedAt: '2026-12-01T10:00:00Z', reference: 'AP-1' } },
      directory,
      { now, deadline },
    );
    expect(late).toEqual({ ok: false, message: expect.stringMatching(/^answer\.reasonsForDelay: is required/) });
    const onTime = checkCompletion(
      task,
      { taskId: task.id, actor: FG, answer: { notifiedAt: '2026-11-30T10:00:00Z', reference: 'AP-1' } },
      directory,
      { now, deadline },
    );
    expect(onTime.ok).toBe(true);
  });

  it('refuses a task that is no longer open', () => {
    const done = { ...task, status: 'done' as const };
    expect(checkCompletion(done, { taskId: task.id, actor: FG, answer: {} }, directory, { now })).toEqual({
      ok: false,
      message: 'taskId: task "authority-notification" is already done',
    });
  });
});

describe('signal schema', () => {
  it('names each bad field', () => {
    const result = breachSignalSchema.safeParse({
      source: '',
      eventId: 'e',
      summary: 's',
      observedAt: 'yesterday',
      reporter: { email: 'nope' },
    });
    expect(describeIssues(result.error!)).toMatch(
      /^source: .*; observedAt: must be an ISO 8601 date-time.*; reporter\.email: must be an email address$/,
    );
  });
});

describe('example answers in examples/answers/', () => {
  it('are valid for their task kind, one file per kind', () => {
    const files = readdirSync('examples/answers');
    for (const kind of TASK_KINDS) expect(files, kind).toContain(`${kind}.json`);
    for (const file of files) {
      const kind = file.replace(/\.json$/, '').replace(/-not-a-breach$/, '') as keyof typeof answerSchemas;
      const result = answerSchemas[kind].safeParse(JSON.parse(readFileSync(`examples/answers/${file}`, 'utf8')));
      expect(result.error, file).toBeUndefined();
    }
  });
});

describe('run details for the Temporal UI', () => {
  it('lists the phase, open tasks with role and due time, and the deadlines not yet met', () => {
    expect(
      runDetails({
        phase: 'containment',
        severityBand: 'high',
        tasks: [
          { id: 'triage', role: 'fg', due: '2026-11-28T10:00:00.000Z', status: 'done', overdue: false },
          { id: 'containment-1', role: 'ict', due: '2026-11-28T14:00:00.000Z', status: 'open', overdue: true },
        ],
        deadlines: [
          { kind: 'gdpr-authority', due: '2026-12-01T09:00:00.000Z', status: 'pending' },
          { kind: 'nis2-early-warning', due: '2026-11-29T09:00:00.000Z', status: 'late' },
          { kind: 'processor-controller', due: '2026-11-29T09:00:00.000Z', status: 'met' },
        ],
      }),
    ).toBe(
      [
        '**Phase:** containment · **severity:** high',
        '**Open tasks:**',
        '- `containment-1` → ict, due 2026-11-28T14:00:00.000Z (**overdue**)',
        '**Deadlines:**',
        '- gdpr-authority: 2026-12-01T09:00:00.000Z',
        '- nis2-early-warning: 2026-11-29T09:00:00.000Z (**late**)',
      ].join('\n'),
    );
    expect(runDetails({ tasks: [], deadlines: [] })).toBe('**Open tasks:** none');
  });
});
