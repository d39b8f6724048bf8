import { continueAsNew, sleep } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import { adviceFor } from '../domain/advice';
import { PlaybookRuntime, type RuntimeSnapshot } from './playbook';

export interface AftercareInput {
  breachId: string;
  settings: PlaybookSettings;
  /** Kinds of data that leaked: they choose the advice for the people affected. */
  dataCategories: string[];
  /** Set when a previous run continued as new: aftercare runs for months. */
  resume?: { startedAt: string; followUps: number; runtime: RuntimeSnapshot };
}

/**
 * Aftercare (nazorg): a contact point for the people affected and advice on what they can do themselves,
 * chosen by the kind of data; follow-ups at the configured moments (two weeks, three months); then the FG
 * decides whether aftercare can end, with a further follow-up each recheck interval until it does.
 * Each follow-up round is a new run (continue-as-new), so months of aftercare keep a short history.
 */
export async function aftercareWorkflow(input: AftercareInput): Promise<{ followUps: number }> {
  const { breachId, settings, resume } = input;
  const playbook = new PlaybookRuntime(breachId, 'aftercare', settings, breachId, resume?.runtime);
  const { timing } = settings;
  let startedAt = resume?.startedAt;
  if (startedAt === undefined) {
    const advice = adviceFor(input.dataCategories).map((a) => `- ${a[settings.language]}`).join('\n');
    await playbook.ask('aftercare', { dueInMs: timing.aftercareDue, detail: advice });
    startedAt = new Date().toISOString();
    await playbook.note('aftercare-started', 'Contact point set up and advice given to the people affected');
  }

  const done = resume?.followUps ?? 0;
  const round = done + 1;
  const scheduled = timing.aftercareFollowUps[done];
  const at = scheduled !== undefined ? Date.parse(startedAt) + scheduled : Date.now() + timing.aftercareRecheck;
  if (scheduled === undefined) {
    const close = await playbook.ask('aftercare-close', { id: `aftercare-close-${round}`, dueInMs: timing.aftercareFollowUpDue });
    if (close.close) {
      await playbook.note('aftercare-finished', `Aftercare closed by the FG after ${done} follow-up(s)`);
      return playbook.finish({ followUps: done });
    }
    await playbook.note('aftercare-continues', `Aftercare continues: ${close.note}`);
  }
  const wait = at - Date.now();
  if (wait > 0) await sleep(wait);
  const answer = await playbook.ask('aftercare-follow-up', { id: `aftercare-follow-up-${round}`, dueInMs: timing.aftercareFollowUpDue });
  await playbook.note(
    'aftercare-follow-up',
    `Follow-up ${round}: ${answer.questionsReceived} question(s), harm reported: ${answer.harmReported ? 'yes' : 'no'}, further action needed: ${answer.furtherActionNeeded ? 'yes' : 'no'}`,
  );
  await playbook.finish(undefined);
  return continueAsNew<typeof aftercareWorkflow>({ ...input, resume: { startedAt, followUps: round, runtime: playbook.snapshot() } });
}
