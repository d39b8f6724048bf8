/**
 * The modules every workflow of a worker shares: the SDK loads this module once per worker, before any workflow
 * (bundleWorkflowCode's preloadModules: worker/create-worker.ts WORKFLOW_PRELOAD_MODULES), so domain/'s schemas
 * and tables are built once instead of in every breach and playbook (zod took a third of the workflow thread and
 * ~2 MB per open breach). What a preloaded module exports is frozen; its schemas are settled first
 * (domain/shared-schemas.ts says why). Only pure modules belong here: nothing that keeps state for one workflow.
 * Every domain/ module the workflows import is listed (test/workflows/shared-schemas.test.ts checks it): one that
 * is missing is loaded again for every workflow, or, imported by a listed one, frozen unsettled.
 */
import * as actProof from '../domain/act-proof';
import * as advice from '../domain/advice';
import * as amsterdamClock from '../domain/amsterdam-clock';
import * as bidi from '../domain/bidi';
import * as completion from '../domain/completion';
import * as deadlines from '../domain/deadlines';
import * as decision from '../domain/decision';
import * as duration from '../domain/duration';
import * as errors from '../domain/errors';
import * as explain from '../domain/explain';
import * as exposure from '../domain/exposure';
import * as factWords from '../domain/fact-words';
import * as facts from '../domain/facts';
import * as interests from '../domain/interests';
import * as labels from '../domain/labels';
import * as lastingRecord from '../domain/lasting-record';
import * as legalBasis from '../domain/legal-basis';
import * as letterDraft from '../domain/letter-draft';
import * as letters from '../domain/letters';
import * as nextStep from '../domain/next-step';
import * as numbers from '../domain/numbers';
import * as playbookReport from '../domain/playbook-report';
import * as reasons from '../domain/reasons';
import * as refused from '../domain/refused';
import * as report from '../domain/report';
import * as roles from '../domain/roles';
import * as runDetails from '../domain/run-details';
import * as severity from '../domain/severity';
import * as signal from '../domain/signal';
import * as tasks from '../domain/tasks';
import * as thresholds from '../domain/thresholds';
import * as timelineText from '../domain/timeline-text';
import * as regimesArgs from '../domain/regimes/args';
import * as regimesAwareness from '../domain/regimes/awareness';
import * as regimesCalendar from '../domain/regimes/calendar';
import * as regimesDeadlines from '../domain/regimes/deadlines';
import * as regimesNotifications from '../domain/regimes/notifications';
import * as regimesProfile from '../domain/regimes/profile';
import * as regimesReminders from '../domain/regimes/reminders';
import { settleSchemas } from '../domain/shared-schemas';

settleSchemas({
  'domain/act-proof': actProof,
  'domain/advice': advice,
  'domain/amsterdam-clock': amsterdamClock,
  'domain/bidi': bidi,
  'domain/completion': completion,
  'domain/deadlines': deadlines,
  'domain/decision': decision,
  'domain/duration': duration,
  'domain/errors': errors,
  'domain/explain': explain,
  'domain/exposure': exposure,
  'domain/fact-words': factWords,
  'domain/facts': facts,
  'domain/interests': interests,
  'domain/labels': labels,
  'domain/lasting-record': lastingRecord,
  'domain/legal-basis': legalBasis,
  'domain/letter-draft': letterDraft,
  'domain/letters': letters,
  'domain/next-step': nextStep,
  'domain/numbers': numbers,
  'domain/playbook-report': playbookReport,
  'domain/reasons': reasons,
  'domain/refused': refused,
  'domain/report': report,
  'domain/roles': roles,
  'domain/run-details': runDetails,
  'domain/severity': severity,
  'domain/signal': signal,
  'domain/tasks': tasks,
  'domain/thresholds': thresholds,
  'domain/timeline-text': timelineText,
  'domain/regimes/args': regimesArgs,
  'domain/regimes/awareness': regimesAwareness,
  'domain/regimes/calendar': regimesCalendar,
  'domain/regimes/deadlines': regimesDeadlines,
  'domain/regimes/notifications': regimesNotifications,
  'domain/regimes/profile': regimesProfile,
  'domain/regimes/reminders': regimesReminders,
});
