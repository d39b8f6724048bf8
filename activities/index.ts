import type { Thresholds } from '../domain/thresholds';
import { log } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { currentActivity } from './after-send';
import { PLAYBOOK_REPORT_SIGNAL, type ReportOutcome } from '../domain/playbook-report';
import type { Transporter } from 'nodemailer';
import type { Config } from '../domain/config';
import type { Directory } from '../domain/roles';
import type { EmailRequest } from '../domain/notices';
import type { Timing } from '../domain/config';
import type { OrganisationProfile } from '../domain/regimes/profile';
import type { ActSettings } from '../domain/act-proof';
import { registerTicketRef, type Task } from '../domain/tasks';
import type { BreachRegister, TicketWrite } from '../register/store';
import type { BreachPatch } from '../domain/register';
import type { TicketSystem } from './tickets';
import { emailRoles } from './email';
import { publicUrlOf } from '../domain/service-config';
import { createDataSubjectActivities, type DataSubjectBatchInput } from './data-subjects';
import type { Language } from '../domain/language';

export interface ActivityDeps {
  /** Read on every call, so a reloaded config reaches running breaches at their next step. */
  config: () => Config;
  transport: Transporter;
  register: BreachRegister;
  tickets: TicketSystem;
}

/** What a playbook needs from the config; fetched once per workflow run and kept in its history. */
export interface PlaybookSettings {
  organisation: string;
  language: Language;
  directory: Directory;
  timing: Timing;
  /** When a run continues as new (workflows/resumable.ts); absent in runs started before it did. */
  history?: { eventsPerRun: number };
  /** organisation.profile: controller/processor, NIS2 entity, DORA (domain/regimes/profile.ts). */
  profile?: OrganisationProfile;
  /** Who may act (domain/act-proof.ts): public keys only. Absent in runs started before acts were signed. */
  acts?: ActSettings;
  /** Config `thresholds` (domain/thresholds.ts); absent in runs started before they were configurable: defaults. */
  thresholds?: Thresholds;
  /**
   * Tickets are kept in the register's own ticket table (config tickets.kind "register", the default): a run on the
   * baseline writes them in its timeline batches (RecordTicket) instead of one activity per opening and closing.
   * Absent in runs started before: tickets by activity.
   */
  ticketsInRegister?: boolean;
}

export interface RecordRequest {
  breachId: string;
  /** `replace`: a tally (PlaybookRuntime.tally) whose row is updated in place under the same key. */
  event?: { key: string; at: string; kind: string; text: string; actor?: string; replace?: boolean };
  breach?: BreachPatch | undefined;
}

/**
 * A task's ticket in the register's own ticket system (PlaybookSettings.ticketsInRegister), opened or closed in a
 * timeline batch; its reference is registerTicketRef (domain/tasks.ts), so the workflow knows it without asking.
 */
export type RecordTicket =
  | { open: { taskId: string; role: string; title: string; due: string; createdAt: string } }
  | { close: { taskId: string; resolution: 'done' | 'cancelled'; at: string } };

/** One register write of a playbook's timeline queue: an entry, a change of the breach's row, a ticket. */
export type RecordWrite = Omit<RecordRequest, 'breachId'> & { ticket?: RecordTicket };

/** A batch of a playbook's timeline queue, in the order noted (activity `recordAll`). */
export interface RecordAllRequest {
  breachId: string;
  writes: RecordWrite[];
  /**
   * Since `reports-ride`: a child playbook's change report, sent to its breach workflow (`to`) before the batch is
   * written, so the child spends no signal (and no workflow task for its answer) on it. Opaque here.
   */
  report?: { to: string; changes: unknown };
}

/** What `recordAll` did with the report it carried; nothing when it carried none. */
export interface RecordAllResult {
  report?: ReportOutcome;
}

/**
 * Heartbeats every second while `work` runs (an SMTP server may take its time to answer, a register wait on a
 * lock): the heartbeats stop only when this worker does, so the server retries the activity elsewhere within its
 * heartbeat timeout. Each beat carries `details()`, what a retry should know (recordAll: the report's outcome).
 */
async function whileHeartbeating<T>(work: () => Promise<T>, details: () => unknown = () => undefined): Promise<T> {
  const ctx = currentActivity();
  if (!ctx) return work();
  const beat = setInterval(() => ctx.heartbeat(details()), 1_000);
  try {
    ctx.heartbeat(details());
    return await work();
  } finally {
    clearInterval(beat);
  }
}

/** The register's row change for a ticket written in a timeline batch. */
function ticketWrite(breachId: string, ticket: RecordTicket): TicketWrite {
  if ('close' in ticket)
    return { close: { task_id: ticket.close.taskId, status: ticket.close.resolution, at: ticket.close.at } };
  const { taskId, role, title, due, createdAt } = ticket.open;
  return {
    open: {
      ref: registerTicketRef(breachId, taskId),
      breach_id: breachId,
      task_id: taskId,
      role,
      title,
      due,
      created_at: createdAt,
    },
  };
}

export function createActivities(deps: ActivityDeps) {
  /** A batch's writes in one transaction, in the order noted. */
  function writeBatch(request: RecordAllRequest): Promise<void> {
    return deps.register.recordAll(
      request.breachId,
      request.writes.map((write) => ({
        ...(write.breach ? { breach: write.breach } : {}),
        ...(write.event
          ? {
              event: {
                key: write.event.key,
                breach_id: request.breachId,
                at: write.event.at,
                kind: write.event.kind,
                text: write.event.text,
                actor: write.event.actor ?? null,
              },
              replace: write.event.replace === true,
            }
          : {}),
        ...(write.ticket ? { ticket: ticketWrite(request.breachId, write.ticket) } : {}),
      })),
    );
  }

  return {
    /** The act-signing public keys as the config has them now: for a run that started before a key was added. */
    async loadActSettings(): Promise<ActSettings> {
      const { acts } = deps.config();
      return { publicKeys: acts.publicKeys, operatorActs: acts.operatorActs, maxAgeMs: acts.proofMaxAge };
    },

    async loadSettings(): Promise<PlaybookSettings> {
      const config = deps.config();
      return {
        organisation: config.organisation.name,
        language: config.language,
        directory: config.directory,
        timing: config.timing,
        history: config.history,
        profile: config.organisation.profile,
        thresholds: config.thresholds,
        ticketsInRegister: (config.tickets?.kind ?? 'register') === 'register',
        acts: {
          publicKeys: config.acts.publicKeys,
          operatorActs: config.acts.operatorActs,
          maxAgeMs: config.acts.proofMaxAge,
        },
      };
    },

    async emailRoles(request: EmailRequest): Promise<{ sent: string[]; skipped: string[] }> {
      const config = deps.config();
      return whileHeartbeating(() =>
        emailRoles(
          {
            transport: deps.transport,
            register: deps.register,
            from: config.smtp.from,
            language: config.language,
            organisation: config.organisation.name,
            directory: () => config.directory,
            publicUrl: publicUrlOf(config.http),
            practice: config.practice,
          },
          request,
        ),
      );
    },

    async createTicket(request: { breachId: string; task: Task }): Promise<{ ref: string }> {
      const { task } = request;
      return deps.tickets.open({
        breachId: request.breachId,
        taskId: task.id,
        role: task.role,
        title: task.title,
        due: task.due,
      });
    },

    async closeTicket(request: { breachId: string; taskId: string; resolution: 'done' | 'cancelled' }): Promise<void> {
      await deps.tickets.close(request.breachId, request.taskId, request.resolution);
    },

    /** Informs the next batch of the people affected (art. 34); the register says who is still pending. */
    async sendDataSubjectBatch(input: DataSubjectBatchInput) {
      const config = deps.config();
      return createDataSubjectActivities({
        register: deps.register,
        transport: deps.transport,
        from: config.smtp.from,
        organisation: config.organisation.name,
        practice: config.practice,
      }).sendDataSubjectBatch(input);
    },

    /** Writes a timeline event and/or the breach's summary row to the register; idempotent per event key. */
    async record(request: RecordRequest): Promise<void> {
      const event = request.event && {
        key: request.event.key,
        breach_id: request.breachId,
        at: request.event.at,
        kind: request.event.kind,
        text: request.event.text,
        actor: request.event.actor ?? null,
      };
      // One transaction: a retry after a failure finds neither half written, or both.
      await deps.register.record(request.breachId, {
        ...(request.breach ? { breach: request.breach } : {}),
        ...(event ? { events: [event], replace: request.event?.replace === true } : {}),
      });
    },

    /**
     * A playbook's queued timeline entries and register row changes (workflows/playbook-timeline.ts), written in the
     * order noted, in one transaction; idempotent per event key, as `record` is.
     */
    async recordAll(request: RecordAllRequest): Promise<RecordAllResult> {
      const ctx = currentActivity();
      // What the heartbeats say: the report's outcome once known, so that a retry does not send it again.
      let said = ctx?.info.heartbeatDetails as SentReport | undefined;
      // A riding run's batch has a heartbeat timeout (workflows/activities.ts): it beats while it runs, so that only
      // a worker that died with it is taken for dead.
      return whileHeartbeating(
        async () => {
          // The report first: a register that is slow or locked does not keep the breach's case view behind.
          const report = request.report ? await sendReport(request.report, said) : undefined;
          if (report) {
            said = { report };
            ctx?.heartbeat(said);
          }
          await writeBatch(request);
          return report ? { report } : {};
        },
        () => said,
      );
    },
  };
}

/** What a recordAll attempt's heartbeats say about the report it carries. */
interface SentReport {
  report?: ReportOutcome;
}

/**
 * Sends a child's change report to its breach workflow with the worker's client (same payload keys as the workflows:
 * the breach takes it as it takes the child's own signal). A retry of the activity (the register write failed) does
 * not send it again when the first attempt's heartbeat says it went; sent twice, the breach ignores the older number.
 */
async function sendReport(
  report: NonNullable<RecordAllRequest['report']>,
  before: SentReport | undefined,
): Promise<ReportOutcome> {
  if (before?.report === 'heard' || before?.report === 'gone') return before.report;
  const ctx = currentActivity();
  // Outside a worker (a script) there is no client: the playbook sends the report itself.
  if (!ctx) return 'refused';
  try {
    await ctx.client.workflow.getHandle(report.to).signal(PLAYBOOK_REPORT_SIGNAL, report.changes);
    return 'heard';
  } catch (err) {
    log.warn('Could not report to the breach workflow', { workflowId: report.to, error: String(err) });
    // The breach has ended: nobody is left to tell. Anything else (its run full of signals, the frontend away): the
    // playbook sends it again after a while, as it does a signal of its own that Temporal refused.
    return err instanceof WorkflowNotFoundError ? 'gone' : 'refused';
  }
}

export type Activities = ReturnType<typeof createActivities>;
