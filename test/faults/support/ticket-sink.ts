import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkRequest {
  key: string;
  body: { event: string; breachId: string; taskId: string; [k: string]: unknown };
}

/**
 * A real HTTP ticket system on loopback, as lekdicht's webhook sees Jira or TOPdesk: it keeps one ticket per
 * Idempotency-Key, answers `{ref}`, and can be down (its port closed: connection refused), answer 503, or refuse
 * some requests for good.
 */
export class TicketSink {
  /** Every request that reached the server, also the refused ones. */
  readonly requests: SinkRequest[] = [];
  /** Tickets by idempotency key: what the ticket system holds. */
  readonly tickets = new Map<string, { ref: string; body: SinkRequest['body']; closed?: string }>();
  /** `hold`: requests get no answer until `release()` (a ticket system that hangs: the call stays in flight). */
  mode: 'up' | '503' | 'hold' = 'up';
  private held: (() => void)[] = [];
  refuse: ((body: SinkRequest['body']) => number | undefined) | undefined;
  port = 0;
  private server: Server | undefined;
  private seq = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/lekdicht`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      void readJson(req).then((body) => {
        const key = String(req.headers['idempotency-key'] ?? '');
        this.requests.push({ key, body });
        const answer = () => {
          const refusal = this.refuse?.(body);
          if (refusal) return void res.writeHead(refusal).end();
          if (this.mode === '503') return void res.writeHead(503, { 'retry-after': '1' }).end();
          if (body.event === 'task.opened') {
            const known = this.tickets.get(key);
            const ref = known?.ref ?? `TCK-${++this.seq}`;
            if (!known) this.tickets.set(key, { ref, body });
            res.writeHead(known ? 409 : 201, { 'content-type': 'application/json' }).end(JSON.stringify({ ref }));
            return;
          }
          const ticket = this.tickets.get(`${body.breachId}/${body.taskId}`);
          if (!ticket) return void res.writeHead(404).end();
          ticket.closed = String(body.resolution);
          res.writeHead(204).end();
        };
        // An answer after the caller gave up (its timeout) goes nowhere.
        if (this.mode === 'hold') this.held.push(() => void (!res.destroyed && answer()));
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Up again after `hold`: the held requests are answered now. */
  release(): void {
    this.mode = 'up';
    for (const answer of this.held.splice(0)) answer();
  }

  /** Down: the port is closed, so every call is refused at connect. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  opened(breachId: string): string[] {
    return [...this.tickets.values()]
      .filter((t) => t.body.breachId === breachId)
      .map((t) => t.body.taskId)
      .sort();
  }
}

async function readJson(req: IncomingMessage): Promise<SinkRequest['body']> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as SinkRequest['body'];
}
