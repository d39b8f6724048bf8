import type { BreachRegister } from './register';

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

export class LocalTicketSystem implements TicketSystem {
  constructor(private readonly register: BreachRegister) {}

  async open(request: TicketRequest): Promise<{ ref: string }> {
    const row = this.register.openTicket({
      ref: `${request.breachId}/${request.taskId}`,
      breach_id: request.breachId,
      task_id: request.taskId,
      role: request.role,
      title: request.title,
      due: request.due,
    });
    return { ref: row.ref };
  }

  async close(breachId: string, taskId: string, resolution: 'done' | 'cancelled'): Promise<void> {
    this.register.closeTicket(breachId, taskId, resolution);
  }
}
