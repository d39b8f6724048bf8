import {
  condition,
  continueAsNew,
  executeChild,
  getExternalWorkflowHandle,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Decision, EvaluationResult, Outcome } from '../domain/case';
import { authorityDeadline } from '../domain/deadlines';
import { finalRecord, securityIncidentRecord } from '../domain/report';
import { lastingRecordOf } from '../domain/lasting-record';
import { BREACH_TEAM, holdersOf } from '../domain/roles';
import { describeSuggestion } from '../domain/explain';
import { interestTasksFor } from '../domain/interests';
import { dataSubjectTargetOf } from '../domain/regimes/profile';
import { activities } from './activities';
import { aftercareWorkflow } from './aftercare';
import { BreachCase, type BreachCarry } from './breach-case';
import { containmentWorkflow } from './containment';
import { evaluationWorkflow } from './evaluation';
import { dataSubjectsInformedSignal, notificationDecisionSignal } from './messages';
import { notificationWorkflow } from './notification';
import { dataSubjectsWorkflow } from './data-subjects';
import { letterFor } from './letter';
import { PlaybookRuntime } from './playbook';
import { Resumable, runResumable } from './resumable';
import { signalUntilTaken } from './signal-again';
import { BREACH_PHASE, NOTIFICATION_DEADLINE } from './search-attributes';
import { isPatched } from './patches';

export type { BreachCarry } from './breach-case';

export interface BreachResult {
  outcome: Outcome;
  closedAt: string;
}

/**
 * One breach, from signal to closure (steps 1–11 of the procedure). Started by signal-with-start with an
 * id derived from the signal's source and event id, so every report of the same event lands here.
 * Containment, the notification deadline, aftercare and evaluation run as child workflows (the playbooks).
 */
export async function breachWorkflow(carried?: BreachCarry): Promise<BreachResult> {
  const breachId = workflowInfo().workflowId;
  // Runs recorded before breaches continued as new replay their old shape (children awaited, never moving on).
  const resumable = Resumable.decide(carried !== undefined);
  // The case and its handlers (breach-case.ts) before the first await.
  const c = new BreachCase(breachId, resumable, carried);
  const settings = carried?.settings ?? (await activities.loadSettings());
  const breach = new PlaybookRuntime(breachId, 'breach', settings, undefined, carried?.runtime);
  const r = new Resumable(resumable, carried?.journal, settings.history?.eventsPerRun);
  breach.journal = r;
  c.attach(breach, r, settings);

  await condition(() => c.reports.length > 0);
  const first = c.reports[0]!;
  const apart = c.apart;

  return runResumable(
    r,
    () => breach.quiet(),
    async () => {
      await r.once('opened', async () => {
        upsertSearchAttributes([{ key: BREACH_PHASE, value: c.phase }]);
        await breach.note(
          'signal-received',
          `Signal received from ${first.source}`,
          undefined,
          { source: first.source, opened_at: c.openedAt, phase: c.phase },
          { source: first.source },
        );
      });
      c.watchDuplicates();

      // 2. Assess the signal: is this a personal-data breach, and since when are we aware?
      const triage = await breach.ask('triage', { dueInMs: settings.timing.triageDue });
      const fg = breach.tasks.get('triage')!.completedBy!;
      await r.once('triaged', async () => {
        c.decisions.push({
          kind: 'triage',
          by: fg,
          at: new Date().toISOString(),
          summary: triage.isPersonalDataBreach
            ? 'Personal-data breach'
            : 'Security incident, not a personal-data breach',
          isPersonalDataBreach: triage.isPersonalDataBreach,
          // The FG's reasoning reaches the register's record (art. 33(5)), for "not a breach" above all.
          justification: triage.reasoning,
        });
      });
      breach.facts.isPersonalDataBreach = triage.isPersonalDataBreach;

      if (!triage.isPersonalDataBreach) {
        c.outcome = 'security-incident';
        await r.once('not-a-breach', () => {
          const record = securityIncidentRecord(c.view(), settings.language);
          return breach.note('not-a-breach', 'Recorded as a security incident; no personal data compromised', fg, {
            outcome: c.outcome,
            facts_summary: record.facts,
            effects: record.effects,
            remedial_action: record.remedialAction,
            lasting: lastingRecordOf(c.view()),
          });
        });
        await r.once('not-a-breach:email', () =>
          breach.email('security-incident-closed', ['fg', 'ciso'], { kind: 'security-incident-closed' }),
        );
        return close(c.outcome);
      }

      c.outcome = 'breach';
      const awareAt = triage.awareAt!;
      const deadline = authorityDeadline(awareAt);
      breach.facts.awareAt = awareAt;
      await r.once('confirmed', async () => {
        upsertSearchAttributes([{ key: NOTIFICATION_DEADLINE, value: new Date(deadline) }]);
        c.shownDeadline = deadline;
        await breach.note(
          'breach-confirmed',
          `Personal-data breach; aware since ${awareAt}`,
          fg,
          { outcome: c.outcome, aware_at: awareAt, notification_deadline: deadline },
          { awareAt },
        );
      });
      // The legal clock runs from awareness while the investigation goes on.
      const notificationOptions = {
        workflowId: `${breachId}.notification`,
        staticSummary: 'Notification deadlines: GDPR 72 h and every other regime that applies',
        args: [{ breachId, settings, awareAt }] as Parameters<typeof notificationWorkflow>,
        ...apart,
      };
      const awaited = resumable ? undefined : await startChild(notificationWorkflow, notificationOptions);
      if (resumable) await c.begin('notification', () => startChild(notificationWorkflow, notificationOptions));
      const notification = awaited ?? getExternalWorkflowHandle(notificationOptions.workflowId);
      await r.once('confirmed:email', () =>
        breach.email('breach-confirmed', [...BREACH_TEAM], { kind: 'breach-confirmed', awareAt, deadline }),
      );

      // 3. First picture: the first version of the facts, amendable from then on.
      await c.enter('first-picture');
      const picture = await breach.ask('first-picture', { dueInMs: settings.timing.firstPictureDue });
      await r.once('first-picture:learnt', () =>
        c.learn(picture, breach.tasks.get('first-picture')!.completedBy!, 'first picture recorded'),
      );

      // 4. Containment.
      await c.enter('containment');
      const containmentOptions = {
        workflowId: `${breachId}.containment`,
        staticSummary: 'Containment: evidence first, then the checklist until the leak is stopped',
        args: [{ breachId, settings }] as Parameters<typeof containmentWorkflow>,
        ...apart,
      };
      const containment = await c.runPlaybook('containment', containmentWorkflow, containmentOptions);

      // Lessons learned are due a set time after containment, whatever aftercare and late reports still need.
      const evaluationOptions = {
        workflowId: `${breachId}.evaluation`,
        staticSummary: 'Evaluation: lessons learned and improvement actions',
        args: [{ breachId, settings, containedAt: containment.containedAt }] as Parameters<typeof evaluationWorkflow>,
        ...apart,
      };
      const evaluationFromContainment = resumable || isPatched('evaluation-from-containment');
      const evaluation = resumable
        ? undefined
        : evaluationFromContainment
          ? await startChild(evaluationWorkflow, evaluationOptions)
          : undefined;
      if (resumable) await c.begin('evaluation', () => startChild(evaluationWorkflow, evaluationOptions));

      // 5. Impact.
      await c.enter('impact');
      breach.facts.impact = await breach.ask('impact', { dueInMs: settings.timing.impactDue });
      await r.once('impact:noted', () =>
        breach.note(
          'impact',
          `Impact assessed; risk to the people concerned: ${breach.facts.impact!.riskToPeople}`,
          undefined,
          undefined,
          { risk: breach.facts.impact!.riskToPeople },
        ),
      );

      // 6. Notification approach: the FG decides.
      await c.enter('decision');
      // The suggestion as the facts stood when the task opened: a later amendment does not rewrite it.
      const suggested = await r.once('decision:suggested', async () => c.assessment!.suggestion);
      const decision = await breach.ask('notification-decision', {
        dueInMs: settings.timing.decisionDue,
        detail: describeSuggestion(c.assessment!, settings.language),
      });
      const decidedAt = await r.once('decided', async () => {
        const at = new Date().toISOString();
        const override =
          decision.notifyAuthority !== suggested.notifyAuthority ||
          decision.notifyDataSubjects !== suggested.notifyDataSubjects;
        const notificationDecision: Decision = {
          kind: 'notification',
          by: breach.tasks.get('notification-decision')!.completedBy!,
          at,
          summary: `Authority: ${decision.notifyAuthority ? 'notify' : 'do not notify'}; data subjects: ${decision.notifyDataSubjects ? 'inform' : 'do not inform'}${override ? ' (overrides the suggestion)' : ' (as suggested)'}. ${decision.justification}`,
          override,
          notifyAuthority: decision.notifyAuthority,
          notifyDataSubjects: decision.notifyDataSubjects,
          justification: decision.justification,
          suggestion: {
            notifyAuthority: suggested.notifyAuthority,
            notifyDataSubjects: suggested.notifyDataSubjects,
            band: c.assessment!.severity.band,
          },
        };
        c.decisions.push(notificationDecision);
        await breach.note(
          'decision',
          `Notification decision — ${notificationDecision.summary}`,
          notificationDecision.by,
          // The register's decision columns at once (the activity's input only: replay-safe).
          {
            notify_authority: decision.notifyAuthority ? 1 : 0,
            notify_data_subjects: decision.notifyDataSubjects ? 1 : 0,
          },
          { notifyAuthority: decision.notifyAuthority, notifyDataSubjects: decision.notifyDataSubjects, override },
        );
        return at;
      });
      await r.once('decided:told', () =>
        signalUntilTaken(() =>
          notification.signal(notificationDecisionSignal, {
            notifyAuthority: decision.notifyAuthority,
            notifyDataSubjects: decision.notifyDataSubjects,
            dataSubjectsBy: decision.dataSubjectsBy,
            decidedAt,
          }),
        ),
      );

      // 7. Notify. When lekdicht informs the people affected itself, the data-subjects playbook does it.
      await c.enter('notification');
      // The contact point the KCC set up before the letters went: aftercare's too.
      let contactPoint: string | undefined;
      if (decision.notifyDataSubjects && decision.dataSubjectsBy !== 'own-channel') {
        // Letters are written for the people affected and approved by the FG before any is sent; breaches from
        // before got a letter made from the case's internal texts, and replay so.
        const approved = isPatched('letter-approval');
        const dataSubjectsOptions = {
          workflowId: `${breachId}.data-subjects`,
          staticSummary: 'Informing the people affected (GDPR art. 34)',
          args: [
            {
              breachId,
              settings,
              ...(approved
                ? { dataCategories: c.known.dataCategories ?? [] }
                : { letter: letterFor(breachId, c.known, breach.facts.impact, settings) }),
              publicCommunication: decision.dataSubjectsBy === 'public-communication',
              due: new Date(Date.parse(decidedAt) + dataSubjectTargetOf(settings.profile)).toISOString(),
            },
          ] as Parameters<typeof dataSubjectsWorkflow>,
          ...apart,
        };
        const informed = await c.runPlaybook('data-subjects', dataSubjectsWorkflow, dataSubjectsOptions);
        contactPoint = informed.contactPoint;
        await r.once('data-subjects:told', () =>
          signalUntilTaken(() =>
            notification.signal(dataSubjectsInformedSignal, {
              at: informed.notifiedAt,
              channel: informed.channel,
              recipients: informed.sent,
            }),
          ),
        );
      }
      // The GDPR notifications made (or not required); an NIS2/DORA final report may be due weeks later.
      if (awaited) await Promise.race([awaited.result(), condition(() => c.gdprNotificationsSettled)]);
      else await condition(() => c.gdprNotificationsSettled || c.finished('notification'));

      // 8–10. Recovery: aftercare for the people affected, and the organisation's interest where the facts call for it.
      await c.enter('aftercare');
      const interests = await Promise.all(
        interestTasksFor(c.known, c.assessment!.severity.band, decision.notifyDataSubjects, settings.thresholds).map(
          (interest) =>
            breach.openTaskOnce('organisation-interest', {
              id: `interest-${interest.kind}`,
              // A role nobody holds in this organisation falls to the FG rather than to no one.
              role: holdersOf(settings.directory, interest.role).length > 0 ? interest.role : 'fg',
              title: interest.title[settings.language],
              detail: interest.why[settings.language],
              dueInMs: settings.timing.interestDue,
            }),
        ),
      );
      const aftercareOptions = {
        workflowId: `${breachId}.aftercare`,
        staticSummary: 'Aftercare (nazorg): contact point, advice, follow-ups',
        args: [
          {
            breachId,
            settings,
            dataCategories: c.known.dataCategories ?? [],
            peopleInformed: decision.notifyDataSubjects,
            ...(contactPoint !== undefined ? { contactPoint } : {}),
          },
        ] as Parameters<typeof aftercareWorkflow>,
        ...apart,
      };
      await c.runPlaybook('aftercare', aftercareWorkflow, aftercareOptions);

      // 11. Evaluate and improve.
      await c.enter('evaluation');
      if (resumable) await c.resultOf<EvaluationResult>('evaluation');
      else if (evaluation) await evaluation.result();
      else await executeChild(evaluationWorkflow, evaluationOptions);
      await condition(() => interests.every((task) => task.status === 'done'));
      // Every regime's reports made, NIS2's and DORA's final ones included.
      if (awaited) await awaited.result();
      else await c.resultOf('notification');
      await r.once('final-record', async () => {
        // In the organisation's language: the register's record is read by its people and the AP.
        const record = finalRecord(c.view(), settings.language);
        await breach.note(
          'final-record',
          'Final register record written: facts, effects, remedial action (art. 33(5))',
          undefined,
          {
            facts_summary: record.facts,
            effects: record.effects,
            remedial_action: record.remedialAction,
            // The same record as data: the register's columns and child rows outlive this history.
            lasting: lastingRecordOf(c.view()),
          },
        );
      });
      await r.once('closed:email', () => breach.email('breach-closed', [...BREACH_TEAM], { kind: 'breach-closed' }));
      return close(c.outcome);
    },
    (journal) => continueAsNew<typeof breachWorkflow>(c.carry(journal)),
  );

  async function close(how: Outcome): Promise<BreachResult> {
    await r.once('closed', async () => {
      c.closedAt = new Date().toISOString();
      await c.setPhase('closed');
      await breach.note(
        'closed',
        how === 'breach' ? 'Breach closed' : 'Security incident closed',
        undefined,
        { closed_at: c.closedAt },
        { outcome: how },
      );
    });
    return breach.finish({ outcome: how, closedAt: c.closedAt! });
  }
}
