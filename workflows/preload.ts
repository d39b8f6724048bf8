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

settleSchemas([
  actProof,
  advice,
  amsterdamClock,
  bidi,
  completion,
  deadlines,
  decision,
  duration,
  errors,
  explain,
  exposure,
  factWords,
  facts,
  interests,
  labels,
  lastingRecord,
  legalBasis,
  letterDraft,
  letters,
  nextStep,
  numbers,
  reasons,
  refused,
  report,
  roles,
  runDetails,
  severity,
  signal,
  tasks,
  thresholds,
  timelineText,
  regimesArgs,
  regimesAwareness,
  regimesCalendar,
  regimesDeadlines,
  regimesNotifications,
  regimesProfile,
  regimesReminders,
]);
