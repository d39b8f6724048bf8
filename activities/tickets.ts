import { ApplicationFailure } from '@temporalio/common';
import type { TicketsConfig } from '../domain/config';
import { registerTicketRef } from '../domain/tasks';
import type { BreachRegister } from '../register/store';

export interface TicketRequest {
  breachId: string;
  taskId: string;
  role: string;
  title: string;
  due: string;
}

/**
 * Where tasks become tickets. The default keeps them in the register's ticket table; a Jira or TOPdesk
 * adapter implements the same two calls, idempotently per (breach, task).
 */
export interface TicketSystem {
  open(request: TicketRequest): Promise<{ ref: string }>;
  close(breachId: string, taskId: string, resolution: 'done' | 'cancelled'): Promise<void>;
}

/** The register's row for a ticket, under the reference the ticket system gave it (or lekdicht's own). */
async function recordTicket(register: BreachRegister, ref: string, request: TicketRequest): Promise<{ ref: string }> {
  const row = await register.openTicket({
    ref,
    breach_id: request.breachId,
    task_id: request.taskId,
    role: request.role,
    title: request.title,
    due: request.due,
  });
  return { ref: row.ref };
}

export class LocalTicketSystem implements TicketSystem {
  constructor(private readonly register: BreachRegister) {}

  async open(request: TicketRequest): Promise<{ ref: string }> {
    return recordTicket(this.register, registerTicketRef(request.breachId, request.taskId), request);
  }

  async close(breachId: string, taskId: string, resolution: 'done' | 'cancelled'): Promise<void> {
    await this.register.closeTicket(breachId, taskId, resolution);
  }
}

/** The failure type of a ticket the ticket system refused (a 4xx other than 408/409/425/429): not retried. */
export const TICKET_REFUSED = 'TicketRefused';
/** The failure type of a ticket system that is down or slow (no connection, timeout, 5xx, 429): retried. */
export const TICKET_SINK_UNAVAILABLE = 'TicketSinkUnavailable';

export interface WebhookTicketOptions {
  url: string;
  /** Sent as `Authorization: Bearer <token>`; from the environment (config `tickets.tokenEnv`), never the file. */
  token?: string;
  timeoutMs: number;
}

/**
 * A generic HTTP ticket system (Jira, TOPdesk, ServiceNow behind a small automation or iPaaS flow): lekdicht
 * POSTs JSON to one URL, `{"event": "task.opened" | "task.closed", ...}`, with an `Idempotency-Key` header that
 * is the same for every retry of the same (breach, task, event), so the receiver can drop repeats. The answer to
 * an opening may name the ticket (`{"ref": "..."}`, or `key`/`id`); otherwise the idempotency key is the ref.
 * Every ticket opened is also kept in the register's ticket table (ref, status), so a retry after the register
 * has it never posts again, and the register shows which tasks have a ticket.
 *
 * Unreachable, timed out, 5xx, 408, 425 or 429: the call fails and Temporal retries it until the system is back.
 * 409 means the receiver already has it (a repeat): success. Any other 4xx is a refusal that retrying will not
 * change (wrong URL or token, rejected payload): a non-retryable failure, which the workflow notes on the
 * timeline while the task itself goes on.
 */
export class WebhookTicketSystem implements TicketSystem {
  constructor(
    private readonly register: BreachRegister,
    private readonly options: WebhookTicketOptions,
  ) {}

  async open(request: TicketRequest): Promise<{ ref: string }> {
    const known = await this.register.ticket(request.breachId, request.taskId);
    if (known) return { ref: known.ref };
    const key = `${request.breachId}/${request.taskId}`;
    const body = await this.post(key, { event: 'task.opened', ...request });
    const named = [body?.ref, body?.key, body?.id].find((v) => typeof v === 'string' || typeof v === 'number');
    const ref = named === undefined ? key : String(named);
    return recordTicket(this.register, ref, request);
  }

  async close(breachId: string, taskId: string, resolution: 'done' | 'cancelled'): Promise<void> {
    const ticket = await this.register.ticket(breachId, taskId);
    if (ticket && ticket.status !== 'open') return;
    await this.post(`${breachId}/${taskId}/close`, {
      event: 'task.closed',
      breachId,
      taskId,
      ref: ticket?.ref ?? `${breachId}/${taskId}`,
      resolution,
    });
    await this.register.closeTicket(breachId, taskId, resolution);
  }

  private async post(
    idempotencyKey: string,
    payload: Record<string, unknown>,
  ): Promise<Record<string, unknown> | undefined> {
    let res: Response;
    try {
      res = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } })?.cause?.code ?? (err as Error)?.name ?? 'error';
      throw ApplicationFailure.retryable(`ticket system unreachable (${cause}); retried`, TICKET_SINK_UNAVAILABLE);
    }
    const text = await res.text().catch(() => '');
    if (res.ok || res.status === 409) {
      try {
        const parsed: unknown = text ? JSON.parse(text) : undefined;
        return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
          ? (parsed as Record<string, unknown>)
          : undefined;
      } catch {
        return undefined;
      }
    }
    if (res.status >= 500 || [408, 425, 429].includes(res.status)) {
      throw ApplicationFailure.retryable(`ticket system answered HTTP ${res.status}; retried`, TICKET_SINK_UNAVAILABLE);
    }
    throw ApplicationFailure.nonRetryable(`ticket system refused the ticket: HTTP ${res.status}`, TICKET_REFUSED);
  }
}

/** The ticket system the config names; `env` holds the webhook's token (config `tickets.tokenEnv`). */
export function ticketSystemFor(
  config: { tickets?: TicketsConfig },
  register: BreachRegister,
  env: NodeJS.ProcessEnv = process.env,
): TicketSystem {
  const tickets = config.tickets ?? { kind: 'register' };
  if (tickets.kind === 'register') return new LocalTicketSystem(register);
  const token = tickets.tokenEnv ? env[tickets.tokenEnv] : undefined;
  if (tickets.tokenEnv && !token)
    throw new Error(`config tickets.tokenEnv: environment variable ${tickets.tokenEnv} is not set`);
  return new WebhookTicketSystem(register, {
    url: tickets.url,
    timeoutMs: tickets.timeout,
    ...(token ? { token } : {}),
  });
}
