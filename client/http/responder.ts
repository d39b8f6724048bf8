import { QueryNotRegisteredError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CaseView } from '../../domain/case';
import type { Config } from '../../domain/config';
import { InvalidInputError, parseOrThrow } from '../../domain/errors';
import type { BreachFacts } from '../../domain/facts';
import {
  NOTIFICATION_ACTION_ROLES,
  isInvolved,
  mayActForAny,
  mayActOnTask,
  mayAmendFacts,
  mayReadRegister,
  type NotificationAction,
} from '../../domain/involvement';
import { recordNotificationArgsSchema } from '../../domain/regimes/notifications';
import { correctAwarenessArgsSchema } from '../../domain/regimes/awareness';
import { classifyIncidentArgsSchema } from '../../domain/regimes/profile';
import type { Person } from '../../domain/roles';
import type { Task } from '../../domain/tasks';
import type { BreachRegister } from '../../register/store';
import type { EmailRow } from '../../domain/register';
import {
  amendBreachFacts,
  classifyIncident,
  completeTask,
  correctAwareness,
  getCase,
  listBreaches,
  recordNotification,
} from '../shared/breaches';
import type { BreachSummary } from '../../domain/case';
import type { DashboardItem } from '../../domain/case';
import { openTasksFor, type MyTaskItem } from '../../domain/my-tasks';
import { filterRegister, type RegisterFilter, type RegisterRow } from '../../domain/register';
import { HttpError, breachNotFound, fromInvalidInput } from './errors';
import { userRef, type HttpLog } from './log';
import { CaseViewCache, PAGE_BUDGET_MS } from './case-cache';
import type { ActAuthenticator } from '../shared/act-signing';

/** Breach ids as client/shared/breach-id.ts makes them; anything else (a playbook's id, say) is not a breach. */
export const BREACH_ID = /^breach-[0-9a-f]{20}$/;

export interface ResponderDeps {
  client: Client;
  config: Config;
  register: Pick<BreachRegister, 'breaches' | 'emails' | 'changeMarks'>;
  log: HttpLog;
  /** Keys the pseudonyms of people in the log. */
  logKey: string;
  /**
   * How long one case-view query may take, and all the queries of one list page together (default 5 s). A breach
   * whose worker is not polling (another task queue, a worker that is down) would otherwise hold "my tasks" and
   * the dashboard until its query times out on the server, and many of them, one page for minutes.
   */
  queryDeadlineMs?: number;
  /** Signs each act for the person the service authenticated (client/shared/act-signing.ts actSigner). */
  signer: ActAuthenticator;
  /** The case views of the lists (dashboard, my tasks, breaches); by default one per Responder. */
  cache?: CaseViewCache;
}

const NOTIFICATION_OPERATIONS = {
  classify: { schema: classifyIncidentArgsSchema, call: classifyIncident },
  'correct-awareness': { schema: correctAwarenessArgsSchema, call: correctAwareness },
  record: { schema: recordNotificationArgsSchema, call: recordNotification },
} as const;

/**
 * Everything a responder does, each checked against the person's involvement in the breach and the role the
 * action needs before it reaches Temporal (the workflows check the role again). Shared by the JSON API and the
 * web pages, so both enforce the same rules.
 */
export class Responder {
  private readonly cache: CaseViewCache;

  constructor(private readonly deps: ResponderDeps) {
    this.cache = deps.cache ?? new CaseViewCache();
  }

  private refuse(person: Person, action: string, reason: string, breachId?: string): void {
    this.deps.log({
      event: 'refused',
      action,
      reason,
      user: userRef(this.deps.logKey, person.email),
      ...(breachId ? { breachId } : {}),
    });
  }

  /** The case, if the person is involved in it; otherwise 404, exactly as for a breach that does not exist. */
  async caseFor(person: Person, breachId: string, action = 'read-case'): Promise<CaseView> {
    if (!BREACH_ID.test(breachId)) throw breachNotFound();
    let view: CaseView;
    try {
      view = await this.query(breachId);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || err instanceof QueryNotRegisteredError) throw breachNotFound();
      throw err;
    }
    if (!isInvolved(view, this.deps.config.directory, person.email)) {
      this.refuse(person, action, 'not-involved', breachId);
      throw breachNotFound();
    }
    return view;
  }

  /** The person's breaches: all of them for those who see the register, else those they are involved in. */
  async breachesFor(person: Person): Promise<BreachSummary[]> {
    const all = await listBreaches(this.deps.client);
    if (mayReadRegister(this.deps.config.directory, person.email)) return all;
    const views = await this.views(all.map((b) => b.breachId));
    const mine = new Set(
      views.filter((v) => isInvolved(v, this.deps.config.directory, person.email)).map((v) => v.breachId),
    );
    return all.filter((b) => mine.has(b.breachId));
  }

  /** Case views of the running breaches the person is involved in (what "my tasks" and a dashboard need). */
  async openCasesFor(person: Person): Promise<CaseView[]> {
    const running = await listBreaches(this.deps.client, { running: true });
    const views = await this.views(running.map((b) => b.breachId));
    return views.filter((v) => isInvolved(v, this.deps.config.directory, person.email));
  }

  /**
   * The dashboard's breaches: the running ones the person may see, each with its case view, or (for those who
   * see every breach) only what the visibility store lists when the query was not answered in time.
   */
  async dashboardFor(person: Person): Promise<DashboardItem[]> {
    const running = await listBreaches(this.deps.client, { running: true });
    const settled = await this.listed(running.map((b) => b.breachId));
    // A breach whose query failed can only be shown to those who may see every breach: for anyone else,
    // involvement cannot be checked without it.
    const seesAll = mayReadRegister(this.deps.config.directory, person.email);
    return running.flatMap((summary, i): DashboardItem[] => {
      const s = settled[i]!;
      if (s.status === 'rejected') return seesAll ? [{ summary }] : [];
      return isInvolved(s.value, this.deps.config.directory, person.email) ? [{ view: s.value }] : [];
    });
  }

  /** The case and the emails sent for it (from the register): the breach page. */
  async caseWithEmails(person: Person, breachId: string): Promise<{ view: CaseView; emails: EmailRow[] }> {
    const view = await this.caseFor(person, breachId);
    return { view, emails: await this.deps.register.emails(breachId) };
  }

  /** Open tasks across breaches that the person may complete: their roles, as deputy, or named as assignee. */
  async myTasks(person: Person): Promise<MyTaskItem[]> {
    return openTasksFor(await this.openCasesFor(person), this.deps.config.directory, person.email);
  }

  /**
   * The task, if the person may complete it; otherwise the refusal completeTask gives. For a page that must
   * refuse before it does anything else (the recipient upload stores the list before it completes the task).
   */
  async taskToComplete(
    person: Person,
    breachId: string,
    taskId: string,
    read?: CaseView,
  ): Promise<{ view: CaseView; task: Task }> {
    // `read`: the case as caseFor gave it to this person in the same request (a page that showed the form).
    const view = read ?? (await this.caseFor(person, breachId, 'complete-task'));
    const task = view.tasks.find((t) => t.id === taskId);
    if (!task) throw new HttpError(404, 'not-found', `taskId: no task "${taskId}" in ${breachId}`);
    if (!mayActOnTask(task, this.deps.config.directory, person.email)) {
      this.refuse(person, `complete-task:${task.kind}`, 'role', breachId);
      throw new HttpError(
        403,
        'forbidden',
        `task "${task.id}" needs the role "${task.role}" (its holders and their deputies)`,
      );
    }
    return { view, task };
  }

  /**
   * Completes the task if the person may (taskToComplete). `read`: the case as caseFor gave it to this person in the
   * same request, so it is not asked again; the update goes to the task's workflow without a further query.
   */
  async completeTask(
    person: Person,
    breachId: string,
    taskId: string,
    answer: unknown,
    read?: CaseView,
  ): Promise<Task> {
    const { task } = await this.taskToComplete(person, breachId, taskId, read);
    return this.viaWorkflow(person, `complete-task:${task.kind}`, breachId, () =>
      completeTask(this.deps.client, breachId, taskId, person.email, answer, this.deps.signer, task),
    );
  }

  /**
   * The case, if the person may take the action on it (amend the facts, or a notification-playbook message);
   * otherwise the refusal the action itself gives. Pages ask before they show the action's form.
   */
  async caseForAction(person: Person, breachId: string, action: 'amend-facts' | NotificationAction): Promise<CaseView> {
    if (action === 'amend-facts') {
      const view = await this.caseFor(person, breachId, 'amend-facts');
      if (!mayAmendFacts(this.deps.config.directory, person.email)) {
        this.refuse(person, 'amend-facts', 'role', breachId);
        throw new HttpError(
          403,
          'forbidden',
          'facts are amended by the breach team (FG, CISO, process owner) or their deputies',
        );
      }
      return view;
    }
    const view = await this.caseFor(person, breachId, `notification:${action}`);
    const roles = NOTIFICATION_ACTION_ROLES[action];
    if (!mayActForAny(this.deps.config.directory, roles, person.email)) {
      this.refuse(person, `notification:${action}`, 'role', breachId);
      throw new HttpError(403, 'forbidden', `${action} needs the role ${roles.map((r) => `"${r}"`).join(' or ')}`);
    }
    return view;
  }

  async amendFacts(person: Person, breachId: string, amendment: unknown): Promise<BreachFacts> {
    await this.caseForAction(person, breachId, 'amend-facts');
    return this.viaWorkflow(person, 'amend-facts', breachId, () =>
      amendBreachFacts(this.deps.client, breachId, person.email, amendment, this.deps.signer),
    );
  }

  /** The notification playbook's messages (the CLI's `notification classify|correct-awareness|record`). */
  async notification(
    person: Person,
    breachId: string,
    action: NotificationAction,
    body: Record<string, unknown>,
  ): Promise<unknown> {
    await this.caseForAction(person, breachId, action);
    const { schema, call } = NOTIFICATION_OPERATIONS[action];
    // Who acts and how is the service's to say: the session's person, and the service's own proof.
    const args = parseOrThrow(schema, { ...body, actor: person.email, proof: undefined, via: undefined }, action);
    return this.viaWorkflow(person, `notification:${action}`, breachId, () =>
      (call as (c: Client, id: string, a: typeof args, auth: ActAuthenticator) => Promise<unknown>)(
        this.deps.client,
        breachId,
        args,
        this.deps.signer,
      ),
    );
  }

  /**
   * The register's rows, filtered, from the register alone: the severity band is a column, written with every
   * assessment. Only an open breach assessed before that column existed asks its workflow.
   */
  async registerRows(person: Person, filter: RegisterFilter): Promise<RegisterRow[]> {
    if (!mayReadRegister(this.deps.config.directory, person.email)) {
      this.refuse(person, 'register', 'role');
      throw new HttpError(403, 'forbidden', 'the register is for the FG, their deputies and the executive sponsor');
    }
    let rows: RegisterRow[] = await this.deps.register.breaches();
    const unknown = rows.filter((r) => r.severity_band == null && r.closed_at === null).map((r) => r.breach_id);
    if (filter.severity && unknown.length > 0) {
      const views = new Map((await this.views(unknown)).map((v) => [v.breachId, v]));
      rows = rows.map((row) => ({
        ...row,
        severity_band: row.severity_band ?? views.get(row.breach_id)?.assessment?.severity.band ?? null,
      }));
    }
    return filterRegister(rows, filter);
  }

  private async views(breachIds: readonly string[]): Promise<CaseView[]> {
    const settled = await this.listed(breachIds);
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  /** Case views for a list page: cached while the register shows no change (case-cache.ts), else asked. */
  private async listed(breachIds: readonly string[]): Promise<PromiseSettledResult<CaseView>[]> {
    const marks = await this.deps.register.changeMarks(breachIds);
    return this.cache.views(breachIds, marks, (id, deadline) => this.query(id, deadline), this.deadlineMs);
  }

  private get deadlineMs(): number {
    return this.deps.queryDeadlineMs ?? PAGE_BUDGET_MS;
  }

  private query(breachId: string, deadline = Date.now() + this.deadlineMs): Promise<CaseView> {
    return this.deps.client.connection.withDeadline(deadline, () => getCase(this.deps.client, breachId));
  }

  private async viaWorkflow<T>(person: Person, action: string, breachId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      const http = fromInvalidInput(err);
      this.refuse(person, action, http.statusCode === 403 ? 'role' : 'invalid-input', breachId);
      throw http;
    }
  }
}
