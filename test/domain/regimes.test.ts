import { describe, expect, it } from 'vitest';
import { correctAwareness } from '../../domain/regimes/awareness';
import { nextDeadline, remindersFor } from '../../domain/regimes/reminders';
import { amsterdamTime, oneMonthAfter } from '../../domain/regimes/calendar';
import {
  deadlinesFor,
  type RegimeDeadline,
  type RegimeDeadlineKind,
  type RegimeInput,
} from '../../domain/regimes/deadlines';
import {
  incidentClassificationSchema,
  organisationProfileSchema,
  type OrganisationProfileInput,
} from '../../domain/regimes/profile';
import { upcomingReminders } from '../../domain/deadlines';
import { describeIssues } from '../../domain/errors';

const HOUR = 3_600_000;
const profile = (input: OrganisationProfileInput = {}) => organisationProfileSchema.parse(input);
const everything = profile({ role: 'both', nis2Entity: 'essential', financialEntity: true });

function find(list: RegimeDeadline[], kind: RegimeDeadlineKind): RegimeDeadline {
  const found = list.find((d) => d.kind === kind);
  if (!found) throw new Error(`no ${kind} among ${list.map((d) => d.kind).join(', ')}`);
  return found;
}
const due = (input: RegimeInput, kind: RegimeDeadlineKind) => find(deadlinesFor(input), kind).due;
const kinds = (input: RegimeInput) => deadlinesFor(input).map((d) => d.kind);
const elapsed = (from: string, to: string | undefined) => Date.parse(to!) - Date.parse(from);

describe('GDPR art. 33(1): the authority not later than 72 hours after awareness (elapsed time)', () => {
  it('is 72 elapsed hours across the end of summer time on 25 Oct 2026 (the wall clock shows 71 h)', () => {
    const awareAt = '2026-10-24T10:00:00.000Z'; // Sat 24 Oct 12:00 CEST
    const d = due({ awareAt, profile: profile() }, 'gdpr-authority');
    expect(d).toBe('2026-10-27T10:00:00.000Z');
    expect(elapsed(awareAt, d)).toBe(72 * HOUR);
    expect(amsterdamTime(d!)).toBe('2026-10-27 11:00'); // CET now
  });

  it('is 72 elapsed hours across the start of summer time on 29 Mar 2026 (the wall clock shows 73 h)', () => {
    const awareAt = '2026-03-28T11:00:00.000Z'; // Sat 28 Mar 12:00 CET
    const d = due({ awareAt, profile: profile() }, 'gdpr-authority');
    expect(d).toBe('2026-03-31T11:00:00.000Z');
    expect(amsterdamTime(d!)).toBe('2026-03-31 13:00'); // CEST now
  });

  it('counts from awareness, is met by the notification, and is a controller duty only', () => {
    const awareAt = '2026-11-28T09:30:00Z';
    const [authority] = deadlinesFor({ awareAt, profile: profile(), notifiedAuthorityAt: '2026-11-30T08:00:00Z' });
    expect(authority).toMatchObject({
      kind: 'gdpr-authority',
      regime: 'gdpr',
      basis: 'GDPR art. 33(1)',
      countsFrom: '2026-11-28T09:30:00.000Z',
      metAt: '2026-11-30T08:00:00Z',
    });
    expect(kinds({ awareAt, profile: profile() })).toEqual(['gdpr-authority']);
    expect(kinds({ awareAt, profile: profile({ role: 'processor' }) })).toEqual(['processor-controller']);
    expect(kinds({ awareAt, profile: profile({ role: 'both' }) })).toEqual(['gdpr-authority', 'processor-controller']);
  });
});

describe('GDPR art. 34: the people affected, an internal target counted from the FG’s decision', () => {
  it('is due dataSubjectTarget (72 h by default, here 48 h) after the decision, and only once decided', () => {
    const awareAt = '2026-11-28T09:30:00Z';
    expect(kinds({ awareAt, profile: profile() })).not.toContain('data-subjects');
    expect(due({ awareAt, profile: profile(), decidedAt: '2026-11-29T10:00:00Z' }, 'data-subjects')).toBe(
      '2026-12-02T10:00:00.000Z',
    );
    expect(
      due(
        { awareAt, profile: profile({ dataSubjectTarget: '48h' }), decidedAt: '2026-11-29T10:00:00Z' },
        'data-subjects',
      ),
    ).toBe('2026-12-01T10:00:00.000Z');
  });
});

describe('GDPR art. 33(2): the processor tells the controller (contracts: 24–48 h)', () => {
  const awareAt = '2026-11-28T09:30:00Z';

  it('is due 24 h after awareness by default', () => {
    const d = find(deadlinesFor({ awareAt, profile: profile({ role: 'processor' }) }), 'processor-controller');
    expect(d).toMatchObject({
      regime: 'processor',
      due: '2026-11-29T09:30:00.000Z',
      countsFrom: '2026-11-28T09:30:00.000Z',
    });
  });

  it('is due 48 h after awareness when the agreement says 48h', () => {
    expect(
      due({ awareAt, profile: profile({ role: 'both', processorToControllerDue: '48h' }) }, 'processor-controller'),
    ).toBe('2026-11-30T09:30:00.000Z');
  });

  it('does not apply to a controller', () => {
    expect(kinds({ awareAt, profile: profile({ role: 'controller' }) })).not.toContain('processor-controller');
  });
});

describe('NIS2 art. 23(4): early warning 24 h, notification 72 h, final report one month after the notification', () => {
  const awareAt = '2026-03-01T13:00:00.000Z'; // 14:00 CET
  const nis2 = profile({ nis2Entity: 'important' });
  const significant = { nis2Significant: true };

  it('early warning 24 h and incident notification 72 h after awareness', () => {
    const list = deadlinesFor({ awareAt, profile: nis2, classification: significant });
    expect(find(list, 'nis2-early-warning')).toMatchObject({
      due: '2026-03-02T13:00:00.000Z',
      basis: 'NIS2 art. 23(4)(a)',
      regime: 'nis2',
    });
    expect(find(list, 'nis2-notification')).toMatchObject({
      due: '2026-03-04T13:00:00.000Z',
      basis: 'NIS2 art. 23(4)(b)',
    });
    expect(find(list, 'nis2-early-warning').provisional).toBeUndefined();
  });

  it('final report: pending until the notification is known, then one month after it (15:00 local stays 15:00 across 29 Mar)', () => {
    const pending = find(deadlinesFor({ awareAt, profile: nis2, classification: significant }), 'nis2-final-report');
    expect(pending.due).toBeUndefined();
    expect(pending.pendingOn?.input).toBe('nis2NotifiedAt');
    const list = deadlinesFor({
      awareAt,
      profile: nis2,
      classification: significant,
      nis2NotifiedAt: '2026-03-03T14:00:00.000Z',
    });
    expect(find(list, 'nis2-final-report')).toMatchObject({
      due: '2026-04-03T13:00:00.000Z',
      basis: 'NIS2 art. 23(4)(d)',
      countsFrom: '2026-03-03T14:00:00.000Z',
    });
    expect(amsterdamTime(find(list, 'nis2-final-report').due!)).toBe('2026-04-03 15:00');
    expect(find(list, 'nis2-notification').metAt).toBe('2026-03-03T14:00:00.000Z');
  });

  it('does not apply when the incident is not significant', () => {
    expect(kinds({ awareAt, profile: nis2, classification: { nis2Significant: false } })).toEqual(['gdpr-authority']);
  });

  it('does not apply when the organisation is not an NIS2 entity, even for a significant incident', () => {
    expect(kinds({ awareAt, profile: profile({ nis2Entity: 'none' }), classification: significant })).toEqual([
      'gdpr-authority',
    ]);
  });

  it('is shown as provisional while significance has not been assessed (the 24 h may be running)', () => {
    const list = deadlinesFor({ awareAt, profile: nis2 });
    expect(find(list, 'nis2-early-warning')).toMatchObject({ due: '2026-03-02T13:00:00.000Z', provisional: true });
    expect(find(list, 'nis2-early-warning').note?.en).toMatch(/significant/);
  });
});

describe('DORA art. 19: initial 4 h after classification and at most 24 h after awareness, intermediate 72 h, final one month', () => {
  const awareAt = '2026-06-01T08:00:00.000Z';
  const dora = profile({ financialEntity: true });

  it('initial: 4 h after classification when that comes before 24 h after awareness', () => {
    const initial = find(
      deadlinesFor({ awareAt, profile: dora, classification: { doraMajorClassifiedAt: '2026-06-01T10:00:00Z' } }),
      'dora-initial',
    );
    expect(initial).toMatchObject({
      due: '2026-06-01T14:00:00.000Z',
      countsFrom: '2026-06-01T10:00:00.000Z',
      regime: 'dora',
    });
    expect(initial.note).toBeUndefined();
    expect(initial.provisional).toBeUndefined();
  });

  it('initial: capped at 24 h after awareness when classified late (4 h after classification would be later)', () => {
    const initial = find(
      deadlinesFor({ awareAt, profile: dora, classification: { doraMajorClassifiedAt: '2026-06-02T06:00:00Z' } }),
      'dora-initial',
    );
    expect(initial).toMatchObject({ due: '2026-06-02T08:00:00.000Z', countsFrom: awareAt });
    expect(initial.note?.en).toMatch(/^Capped/);
  });

  it('initial: 24 h after awareness as the outer bound while not classified, and says so', () => {
    const initial = find(deadlinesFor({ awareAt, profile: dora }), 'dora-initial');
    expect(initial).toMatchObject({ due: '2026-06-02T08:00:00.000Z', provisional: true });
    expect(initial.note?.en).toMatch(/^Outer bound: 24 h after awareness.*not been classified/);
  });

  it('intermediate: 72 h after the initial notification; pending until it is submitted', () => {
    expect(find(deadlinesFor({ awareAt, profile: dora }), 'dora-intermediate')).toMatchObject({
      due: undefined,
      pendingOn: { input: 'doraInitialAt' },
    });
    const list = deadlinesFor({
      awareAt,
      profile: dora,
      classification: { doraMajorClassifiedAt: '2026-06-01T10:00:00Z' },
      doraInitialAt: '2026-06-01T13:00:00Z',
    });
    expect(find(list, 'dora-intermediate')).toMatchObject({
      due: '2026-06-04T13:00:00.000Z',
      countsFrom: '2026-06-01T13:00:00.000Z',
    });
    expect(find(list, 'dora-initial').metAt).toBe('2026-06-01T13:00:00Z');
  });

  it('final: one month after the (latest) intermediate report; pending until it is submitted', () => {
    const base = {
      awareAt,
      profile: dora,
      classification: { doraMajorClassifiedAt: '2026-06-01T10:00:00Z' },
      doraInitialAt: '2026-06-01T13:00:00Z',
    };
    expect(find(deadlinesFor(base), 'dora-final')).toMatchObject({
      due: undefined,
      pendingOn: { input: 'doraIntermediateAt' },
    });
    const list = deadlinesFor({ ...base, doraIntermediateAt: '2026-06-04T09:00:00Z' });
    expect(find(list, 'dora-final').due).toBe('2026-07-04T09:00:00.000Z');
    expect(find(list, 'dora-intermediate').metAt).toBe('2026-06-04T09:00:00Z');
  });

  it('does not apply to a non-financial entity, nor to an incident assessed as not major', () => {
    expect(kinds({ awareAt, profile: profile() })).toEqual(['gdpr-authority']);
    expect(kinds({ awareAt, profile: dora, classification: { doraMajor: false } })).toEqual(['gdpr-authority']);
  });
});

describe('"one month": same day next month, same Amsterdam wall-clock time', () => {
  it('from 31 Jan ends on the last day of February (28 Feb 2026, 29 Feb 2028); 31 Mar → 30 Apr; 31 Dec → 31 Jan', () => {
    expect(oneMonthAfter('2026-01-31T09:00:00Z')).toBe('2026-02-28T09:00:00.000Z');
    expect(oneMonthAfter('2028-01-31T09:00:00Z')).toBe('2028-02-29T09:00:00.000Z');
    expect(oneMonthAfter('2026-03-31T08:00:00Z')).toBe('2026-04-30T08:00:00.000Z');
    expect(oneMonthAfter('2026-12-31T22:30:00Z')).toBe('2027-01-31T22:30:00.000Z'); // 23:30 local, year changes
  });

  it('from 15 Mar 10:00 across the start of summer time keeps 10:00 local (elapsed: 31 days less 1 h)', () => {
    const from = '2026-03-15T09:00:00.000Z'; // 10:00 CET
    const to = oneMonthAfter(from);
    expect(to).toBe('2026-04-15T08:00:00.000Z');
    expect(amsterdamTime(to)).toBe('2026-04-15 10:00');
    expect(elapsed(from, to)).toBe(31 * 24 * HOUR - HOUR);
  });

  it('from 15 Oct 10:00 across the end of summer time keeps 10:00 local (elapsed: 31 days plus 1 h)', () => {
    const to = oneMonthAfter('2026-10-15T08:00:00.000Z'); // 10:00 CEST
    expect(to).toBe('2026-11-15T09:00:00.000Z');
    expect(elapsed('2026-10-15T08:00:00.000Z', to)).toBe(31 * 24 * HOUR + HOUR);
  });

  it('a wall time the clock skips (02:30 on 28 Mar 2027) becomes the jump to 03:00; a repeated one (02:30 on 25 Oct 2026) its first occurrence', () => {
    expect(oneMonthAfter('2027-02-28T01:30:00Z')).toBe('2027-03-28T01:00:00.000Z');
    expect(oneMonthAfter('2026-09-25T00:30:00Z')).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST, not 02:30 CET (01:30Z)
  });
});

describe('organisation profile (organisation.profile) and incident classification', () => {
  it('defaults: controller, no NIS2, no DORA, processor 24 h, people affected 72 h', () => {
    expect(organisationProfileSchema.parse({})).toEqual({
      role: 'controller',
      nis2Entity: 'none',
      financialEntity: false,
      processorToControllerDue: 24 * HOUR,
      dataSubjectTarget: 72 * HOUR,
    });
  });

  it.each([
    [{ role: 'owner' }, /^role: /],
    [{ nis2Entity: 'yes' }, /^nis2Entity: /],
    [{ financialEntity: 'yes' }, /^financialEntity: /],
    [{ processorToControllerDue: '2 days' }, /^processorToControllerDue: "2 days" is not a duration/],
    [{ dataSubjectTarget: '0h' }, /^dataSubjectTarget: "0h" is not a duration/],
    [{ colour: 'red' }, /^colour: is not a known field/],
  ])('refuses %j, naming the field', (input, message) => {
    const result = organisationProfileSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toMatch(message);
  });

  it('refuses a DORA classification moment on an incident assessed as not major, and a moment that is not one', () => {
    expect(
      describeIssues(
        incidentClassificationSchema.safeParse({ doraMajor: false, doraMajorClassifiedAt: '2026-06-01T10:00:00Z' })
          .error!,
      ),
    ).toMatch(/^doraMajorClassifiedAt: is set, but doraMajor is false/);
    expect(describeIssues(incidentClassificationSchema.safeParse({ doraMajorClassifiedAt: 'noon' }).error!)).toMatch(
      /^doraMajorClassifiedAt: must be an ISO 8601 date-time/,
    );
  });

  it('deadlinesFor names a bad moment', () => {
    expect(() => deadlinesFor({ awareAt: 'yesterday', profile: profile() })).toThrow('awareAt: is not a date-time');
    expect(() => deadlinesFor({ awareAt: '2026-06-01T08:00:00Z', profile: profile(), nis2NotifiedAt: 'soon' })).toThrow(
      'nis2NotifiedAt: is not a date-time',
    );
  });
});

describe('the next deadline for the dashboard', () => {
  const awareAt = '2026-06-01T08:00:00.000Z';
  const list = deadlinesFor({ awareAt, profile: everything, classification: { nis2Significant: true } });

  it('is the earliest open one: the 24 h deadlines before the 72 h one, ties in list order', () => {
    const next = nextDeadline(list, Date.parse(awareAt) + HOUR);
    expect(next).toMatchObject({
      deadline: { kind: 'processor-controller', due: '2026-06-02T08:00:00.000Z' },
      overdue: false,
      msLeft: 23 * HOUR,
    });
  });

  it('skips met deadlines and those not yet computable; an open overdue one stays first', () => {
    const met = deadlinesFor({
      awareAt,
      profile: everything,
      classification: { nis2Significant: true },
      met: { 'processor-controller': '2026-06-01T12:00:00Z', 'nis2-early-warning': '2026-06-01T13:00:00Z' },
    });
    const next = nextDeadline(met, Date.parse('2026-06-02T09:00:00Z'));
    expect(next).toMatchObject({ deadline: { kind: 'dora-initial' }, overdue: true, msLeft: -HOUR });
  });

  it('is undefined when everything is met or pending', () => {
    const pending = deadlinesFor({ awareAt, profile: profile(), notifiedAuthorityAt: '2026-06-02T08:00:00Z' });
    expect(nextDeadline(pending, Date.parse(awareAt))).toBeUndefined();
  });
});

describe('reminders', () => {
  const awareAt = '2026-11-28T00:00:00.000Z';
  const list = deadlinesFor({
    awareAt,
    profile: everything,
    classification: { nis2Significant: true, doraMajorClassifiedAt: '2026-11-28T02:00:00Z' },
  });

  it('GDPR: the configured offsets from awareness (24/48/60/70 h), exactly as upcomingReminders', () => {
    const offsets = [24, 48, 60, 70].map((h) => h * HOUR);
    const authority = find(list, 'gdpr-authority');
    const reminders = remindersFor(authority, offsets, Date.parse(awareAt) + 30 * HOUR);
    expect(reminders.map((r) => [r.at, r.hoursLeft])).toEqual([
      ['2026-11-30T00:00:00.000Z', 24],
      ['2026-11-30T12:00:00.000Z', 12],
      ['2026-11-30T22:00:00.000Z', 2],
    ]);
    expect(reminders.map(({ afterMs, at, hoursLeft }) => ({ afterMs, at, hoursLeft }))).toEqual(
      upcomingReminders(awareAt, authority.due!, offsets, Date.parse(awareAt) + 30 * HOUR),
    );
    expect(reminders.every((r) => r.kind === 'gdpr-authority')).toBe(true);
  });

  it('other regimes by default at 50 % and 90 % of the window: NIS2 early warning at 12 h and 21.6 h, DORA initial 2 h and 3.6 h after classification', () => {
    expect(
      remindersFor(find(list, 'nis2-early-warning'), undefined, Date.parse(awareAt)).map((r) => [r.at, r.msLeft]),
    ).toEqual([
      ['2026-11-28T12:00:00.000Z', 12 * HOUR],
      ['2026-11-28T21:36:00.000Z', 2.4 * HOUR],
    ]);
    expect(
      remindersFor(find(list, 'dora-initial'), undefined, Date.parse(awareAt)).map((r) => [r.at, r.msLeft]),
    ).toEqual([
      ['2026-11-28T04:00:00.000Z', 2 * HOUR],
      ['2026-11-28T05:36:00.000Z', 0.4 * HOUR],
    ]);
  });

  it('none for a deadline that is met or not yet computable', () => {
    expect(remindersFor(find(list, 'nis2-final-report'), undefined, Date.parse(awareAt))).toEqual([]);
    const met = deadlinesFor({ awareAt, profile: profile(), notifiedAuthorityAt: '2026-11-28T06:00:00Z' });
    expect(remindersFor(find(met, 'gdpr-authority'), [24 * HOUR], Date.parse(awareAt))).toEqual([]);
  });
});

describe('correcting the moment of awareness', () => {
  const oldAwareAt = '2026-10-24T10:00:00.000Z'; // 12:00 CEST
  const newAwareAt = '2026-10-24T05:00:00.000Z'; // 07:00 CEST
  const now = Date.parse('2026-10-24T14:00:00Z');
  const context = { profile: everything, classification: { nis2Significant: true }, by: 'fg@example.org' };

  it('moves every deadline that counts from awareness by the correction: 5 h earlier', () => {
    const result = correctAwareness(oldAwareAt, newAwareAt, now, context);
    if (!result.ok) throw new Error(result.message);
    expect(result.shiftMs).toBe(-5 * HOUR);
    expect(result.moves.map((m) => [m.kind, m.shiftMs])).toEqual([
      ['gdpr-authority', -5 * HOUR],
      ['processor-controller', -5 * HOUR],
      ['nis2-early-warning', -5 * HOUR],
      ['nis2-notification', -5 * HOUR],
      ['dora-initial', -5 * HOUR],
    ]);
    // The 72 h across 25 Oct stays 72 elapsed hours after the new moment.
    expect(result.moves[0]).toMatchObject({ from: '2026-10-27T10:00:00.000Z', to: '2026-10-27T05:00:00.000Z' });
    expect(result.summary.en).toMatch(
      /^awareness corrected from 2026-10-24 12:00 to 2026-10-24 07:00 \(Amsterdam time\) by fg@example\.org: .*Autoriteit Persoonsgegevens\): moves 5 h earlier, to 2026-10-27 06:00/,
    );
    expect(result.summary.nl).toMatch(
      /^bewustzijnsmoment gecorrigeerd van 2026-10-24 12:00 naar 2026-10-24 07:00 .*: Melding aan de Autoriteit Persoonsgegevens: 5 uur eerder/,
    );
  });

  it('does not move what counts from something else; DORA initial only while awareness bounds it', () => {
    const result = correctAwareness(oldAwareAt, '2026-10-24T12:30:00Z', now, {
      ...context,
      classification: { nis2Significant: true, doraMajorClassifiedAt: '2026-10-24T13:00:00Z' },
      nis2NotifiedAt: '2026-10-24T13:30:00Z',
      decidedAt: '2026-10-24T13:45:00Z',
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.moves.map((m) => m.kind)).toEqual([
      'gdpr-authority',
      'processor-controller',
      'nis2-early-warning',
      'nis2-notification',
    ]);
    expect(result.moves[0]?.text.en).toMatch(/moves 2 h 30 min later/);
  });

  it('with no context covers the controller’s authority deadline', () => {
    const result = correctAwareness(oldAwareAt, newAwareAt, now);
    expect(result.ok && result.moves.map((m) => m.kind)).toEqual(['gdpr-authority']);
  });

  it('refuses a moment in the future, the same moment, one after a notification, and one that is not a date', () => {
    expect(correctAwareness(oldAwareAt, '2026-10-24T16:00:00Z', now, context)).toEqual({
      ok: false,
      message: expect.stringMatching(/^newAwareAt: lies in the future/),
    });
    expect(correctAwareness(oldAwareAt, '2026-10-24T12:00:00+02:00', now, context)).toEqual({
      ok: false,
      message: expect.stringMatching(/^newAwareAt: is the moment already recorded/),
    });
    expect(
      correctAwareness(oldAwareAt, '2026-10-24T13:00:00Z', now, {
        ...context,
        notifiedAuthorityAt: '2026-10-24T12:00:00Z',
      }),
    ).toEqual({
      ok: false,
      message: expect.stringMatching(/^newAwareAt: lies after the notification to the authority/),
    });
    expect(correctAwareness(oldAwareAt, 'this morning', now)).toEqual({
      ok: false,
      message: 'newAwareAt: is not a date-time',
    });
  });
});
