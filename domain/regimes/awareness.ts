import { z } from 'zod';
import { HOUR_MS } from '../duration';
import { checkAwareAt } from '../deadlines';
import { InvalidInputError } from '../errors';
import { actAuthorityShape, actorSchema, isoInstant, required } from './args';
import { amsterdamTime, DAY_MS, iso } from './calendar';
import { deadlinesFor, type RegimeDeadline, type RegimeDeadlineKind, type RegimeInput } from './deadlines';
import type { Wording } from '../language';
import { organisationProfileSchema } from './profile';
import { DEADLINE_LABELS } from '../labels';

/** Correcting the moment of awareness: which deadlines move, and by how much. */

/** `correctAwareness`: the FG corrects the moment of awareness, and says why. */
export const correctAwarenessArgsSchema = z
  .object({
    actor: actorSchema,
    ...actAuthorityShape,
    awareAt: isoInstant,
    reason: required(2_000),
  })
  .strict();
export type CorrectAwarenessArgs = z.input<typeof correctAwarenessArgsSchema>;
export interface DeadlineMove {
  kind: RegimeDeadlineKind;
  label: Wording;
  from: string;
  to: string;
  /** Positive: later; negative: earlier. */
  shiftMs: number;
  /** "NIS2 early warning: moves 5 h earlier, to 2026-10-25 07:00". */
  text: Wording;
}

export type AwarenessCorrection =
  | { ok: false; message: string }
  | { ok: true; from: string; to: string; shiftMs: number; moves: DeadlineMove[]; summary: Wording };

/** The rest of the case, so the corrections cover every regime that applies (default: a controller only). */
export type AwarenessContext = Partial<Omit<RegimeInput, 'awareAt'>> & { by?: string };

/** "5 h", "1 d 2 h 30 min" (en) / "5 uur", "1 dag 2 uur 30 min" (nl). */
export function describeSpan(ms: number): Wording {
  let rest = Math.abs(ms);
  const days = Math.floor(rest / DAY_MS);
  rest -= days * DAY_MS;
  const hours = Math.floor(rest / HOUR_MS);
  rest -= hours * HOUR_MS;
  const minutes = Math.floor(rest / 60_000);
  const seconds = Math.round((rest - minutes * 60_000) / 1000);
  const en: string[] = [];
  const nl: string[] = [];
  const add = (amount: number, en_: string, nl_: string) => {
    en.push(`${amount} ${en_}`);
    nl.push(`${amount} ${nl_}`);
  };
  if (days) add(days, 'd', days === 1 ? 'dag' : 'dagen');
  if (hours) add(hours, 'h', 'uur');
  if (minutes) add(minutes, 'min', 'min');
  if (seconds || en.length === 0) add(seconds, 's', 's');
  return { en: en.join(' '), nl: nl.join(' ') };
}

/**
 * Validates a correction of the moment of awareness and says which deadlines move and by how much, for the
 * audit entry. Refused: a moment that does not parse, lies in the future (checkAwareAt), equals the recorded
 * one, or comes after something that can only follow awareness (a decision, a notification, a report, the
 * DORA classification). Deadlines that count from something else (NIS2 final report, DORA intermediate and
 * final, the people affected) do not move; DORA's initial notification moves only while awareness bounds it.
 */
export function correctAwareness(
  oldAwareAt: string,
  newAwareAt: string,
  now: number,
  context: AwarenessContext = {},
): AwarenessCorrection {
  const oldMs = Date.parse(oldAwareAt);
  if (Number.isNaN(oldMs)) return { ok: false, message: 'oldAwareAt: is not a date-time' };
  const problem = checkAwareAt(newAwareAt, now);
  if (problem) return { ok: false, message: `newAwareAt: ${problem}` };
  const newMs = Date.parse(newAwareAt);
  if (newMs === oldMs) return { ok: false, message: 'newAwareAt: is the moment already recorded; nothing to correct' };

  const later: [string, string | undefined][] = [
    ['the DORA classification as major', context.classification?.doraMajorClassifiedAt],
    ["the FG's decision to inform the people affected", context.decidedAt],
    ['the notification to the authority', context.notifiedAuthorityAt],
    ['the NIS2 incident notification', context.nis2NotifiedAt],
    ['the DORA initial notification', context.doraInitialAt],
    ['the DORA intermediate report', context.doraIntermediateAt],
    ...Object.entries(context.met ?? {}).map(([kind, at]): [string, string | undefined] => [
      `${(DEADLINE_LABELS[kind as RegimeDeadlineKind] as Wording | undefined)?.en ?? kind} (done)`,
      at,
    ]),
  ];
  for (const [what, at] of later) {
    if (at !== undefined && Date.parse(at) < newMs)
      return { ok: false, message: `newAwareAt: lies after ${what} (${at}); awareness cannot come after it` };
  }

  const { profile, ...others } = context;
  const rest = { ...others, profile: profile ?? organisationProfileSchema.parse({}) };
  let before: RegimeDeadline[];
  let after: RegimeDeadline[];
  try {
    before = deadlinesFor({ ...rest, awareAt: oldAwareAt });
    after = deadlinesFor({ ...rest, awareAt: newAwareAt });
  } catch (error) {
    if (error instanceof InvalidInputError) return { ok: false, message: error.message };
    throw error;
  }
  const moves: DeadlineMove[] = [];
  for (const old of before) {
    const moved = after.find((d) => d.kind === old.kind);
    if (old.due === undefined || moved?.due === undefined || moved.due === old.due) continue;
    const shiftMs = Date.parse(moved.due) - Date.parse(old.due);
    const span = describeSpan(shiftMs);
    const local = amsterdamTime(moved.due);
    moves.push({
      kind: old.kind,
      label: old.label,
      from: old.due,
      to: moved.due,
      shiftMs,
      text: {
        en: `${old.label.en}: moves ${span.en} ${shiftMs < 0 ? 'earlier' : 'later'}, to ${local}`,
        nl: `${old.label.nl}: ${span.nl} ${shiftMs < 0 ? 'eerder' : 'later'}, naar ${local}`,
      },
    });
  }
  const by = context.by === undefined ? { en: '', nl: '' } : { en: ` by ${context.by}`, nl: ` door ${context.by}` };
  const what = (lang: keyof Wording) =>
    moves.length === 0
      ? lang === 'en'
        ? 'no deadline moves'
        : 'geen termijn verschuift'
      : moves.map((m) => m.text[lang]).join('; ');
  return {
    ok: true,
    from: iso(oldMs),
    to: iso(newMs),
    shiftMs: newMs - oldMs,
    moves,
    summary: {
      en: `awareness corrected from ${amsterdamTime(oldAwareAt)} to ${amsterdamTime(newAwareAt)} (Amsterdam time)${by.en}: ${what('en')}`,
      nl: `bewustzijnsmoment gecorrigeerd van ${amsterdamTime(oldAwareAt)} naar ${amsterdamTime(newAwareAt)} (Nederlandse tijd)${by.nl}: ${what('nl')}`,
    },
  };
}
