import { describe, expect, it } from 'vitest';
import { directorySchema } from '../../domain/roles';
import { involvementIn, mayActOnTask, mayAmendFacts, mayReadRegister } from '../../domain/involvement';
import { configSchema } from '../../domain/config';
import type { Task } from '../../domain/tasks';
import { CISO, COMMS, FG, FG_DEPUTY, ICT, PROCESS_OWNER, SPONSOR, directory as people } from '../support/people';

const directory = directorySchema.parse(people);
const task = (id: string, role: Task['role'], extra: Partial<Task> = {}): Task => ({
  id,
  kind: 'organisation-interest',
  role,
  title: id,
  playbook: 'breach',
  workflowId: 'breach-x',
  createdAt: '2026-11-28T08:00:00Z',
  due: '2026-11-28T12:00:00Z',
  status: 'open',
  overdue: false,
  ...extra,
});

describe('who is involved in a breach (domain/involvement.ts)', () => {
  const signalOnly = { tasks: [task('triage', 'fg')], facts: {} };
  const confirmed = {
    tasks: [task('triage', 'fg', { status: 'done', completedBy: FG }), task('first-picture', 'ciso')],
    facts: { isPersonalDataBreach: true },
  };

  it('the FG, their deputies and the executive sponsor see every breach, from the first signal', () => {
    expect(involvementIn(signalOnly, directory, FG)).toBe('fg');
    expect(involvementIn(signalOnly, directory, FG_DEPUTY.toUpperCase())).toBe('fg');
    expect(involvementIn(signalOnly, directory, SPONSOR)).toBe('executive-sponsor');
    for (const email of [CISO, PROCESS_OWNER, ICT, COMMS])
      expect(involvementIn(signalOnly, directory, email)).toBeUndefined();
  });

  it('the breach team (and deputies) join once triage confirmed a personal-data breach', () => {
    expect(involvementIn(confirmed, directory, CISO)).toBe('breach-team');
    expect(involvementIn(confirmed, directory, PROCESS_OWNER)).toBe('breach-team');
    expect(
      involvementIn({ ...confirmed, facts: { isPersonalDataBreach: false } }, directory, PROCESS_OWNER),
    ).toBeUndefined();
    expect(involvementIn(confirmed, directory, ICT)).toBeUndefined();
  });

  it('others through a task of theirs, open or closed: their role, as a deputy, as assignee, or having completed it', () => {
    expect(
      involvementIn({ tasks: [task('containment-1', 'ict', { status: 'done' })], facts: {} }, directory, ICT),
    ).toBe('task');
    // COMMS holds communications; the process owner deputises for COMMS.
    const comms = { tasks: [task('data-subject-notification', 'communications')], facts: {} };
    expect(involvementIn(comms, directory, COMMS)).toBe('task');
    expect(involvementIn(comms, directory, PROCESS_OWNER)).toBe('task');
    expect(involvementIn({ tasks: [task('improvement-1', 'fg', { assignee: ICT })], facts: {} }, directory, ICT)).toBe(
      'task',
    );
    expect(
      involvementIn(
        { tasks: [task('interest-hr', 'hr', { status: 'done', completedBy: COMMS })], facts: {} },
        directory,
        COMMS,
      ),
    ).toBe('task');
  });

  it('nobody outside the directory, whatever the case says', () => {
    expect(
      involvementIn(
        { tasks: [task('improvement-1', 'fg', { assignee: 'former@test.example' })], facts: {} },
        directory,
        'former@test.example',
      ),
    ).toBeUndefined();
  });

  it('acting rules: tasks as the workflow has them; facts for the breach team; the register for FG and sponsor', () => {
    expect(mayActOnTask(task('first-picture', 'ciso'), directory, FG)).toBe(true);
    expect(mayActOnTask(task('first-picture', 'ciso'), directory, FG_DEPUTY)).toBe(false);
    expect(mayActOnTask(task('improvement-1', 'fg', { assignee: ICT }), directory, ICT)).toBe(true);
    expect(
      [FG, FG_DEPUTY, CISO, PROCESS_OWNER, ICT, COMMS, SPONSOR].filter((e) => mayAmendFacts(directory, e)),
    ).toEqual([FG, FG_DEPUTY, CISO, PROCESS_OWNER]);
    expect(
      [FG, FG_DEPUTY, CISO, PROCESS_OWNER, ICT, COMMS, SPONSOR].filter((e) => mayReadRegister(directory, e)),
    ).toEqual([FG, FG_DEPUTY, SPONSOR]);
  });
});

describe('the http, auth and intake config sections', () => {
  const base = { organisation: { name: 'X' }, smtp: { from: 'x <x@example.org>' }, directory: people };

  it('has defaults: loopback port 8080, password login with a SQLite auth file, no intake sources', () => {
    const config = configSchema.parse(base);
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 8080,
      trustProxy: false,
      temporalUiOrigins: ['http://127.0.0.1:8233', 'http://localhost:8233'],
      codecOperators: [],
    });
    expect(config.auth).toMatchObject({
      method: 'password',
      path: 'data/auth.db',
      sessionTtl: 8 * 3_600_000,
      sessionLifetime: 12 * 3_600_000,
      allowPasswordOffLoopback: false,
      loginLinkTtl: 15 * 60_000,
    });
    expect(config.intake).toEqual({
      sources: {},
      maxBodyBytes: 65_536,
      maxClockSkew: 5 * 60_000,
      path: 'data/intake.db',
      rateLimit: { perSource: { max: 600, window: 60_000 }, perEvent: { max: 30, window: 60_000 } },
      duplicateSignalEvery: 60_000,
    });
  });

  it('names the key and the problem', () => {
    const problems = (input: object) =>
      configSchema.safeParse({ ...base, ...input }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({ intake: { sources: { dlp: { secretEnv: 'my secret' } } } })).toEqual([
      expect.stringMatching(/^intake\.sources\.dlp\.secretEnv: must be the name of an environment variable/),
    ]);
    expect(problems({ intake: { sources: { dlp: { secret: 'abc' } } } })?.[0]).toMatch(/^intake\.sources\.dlp/);
    expect(problems({ auth: { method: 'oidc' } })).toEqual([
      'auth.oidc: is required when auth.method is oidc: give issuer and clientId',
    ]);
    expect(problems({ http: { publicUrl: 'ftp://x' } })?.[0]).toMatch(/^http\.publicUrl: must be an http\(s\) URL/);
    expect(problems({ http: { port: 'eighty' } })?.[0]).toMatch(/^http\.port: must be a port number/);
    expect(problems({ intake: { rateLimit: { perEvent: { max: 0, window: '1m' } } } })).toEqual([
      'intake.rateLimit.perEvent.max: must be at least 1',
    ]);
    expect(problems({ intake: { rateLimit: { perSource: { max: 10, window: 'a while' } } } })?.[0]).toMatch(
      /^intake\.rateLimit\.perSource\.window: "a while" is not a duration/,
    );
    expect(problems({ intake: { rateLimit: { perSource: { max: 2.5, window: '1m' } } } })).toEqual([
      'intake.rateLimit.perSource.max: must be a whole number of requests',
    ]);
    expect(problems({ intake: { rateLimit: { perHour: 5 } } })?.[0]).toMatch(/^intake\.rateLimit/);
    expect(problems({ intake: { duplicateSignalEvery: 'often' } })?.[0]).toMatch(
      /^intake\.duplicateSignalEvery: "often" is not a duration/,
    );
    expect(problems({ intake: { path: '' } })).toEqual(['intake.path: is required']);
  });
});
