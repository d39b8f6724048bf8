import type { Deadline, Phase } from './case';
import type { Task } from './tasks';

export interface RunDetailsInput {
  phase?: Phase;
  severityBand?: string | undefined;
  tasks: readonly Pick<Task, 'id' | 'role' | 'due' | 'status' | 'overdue'>[];
  deadlines: readonly Pick<Deadline, 'kind' | 'due' | 'status'>[];
}

/**
 * What a run is waiting for, as the Temporal UI shows it under "current details" (Markdown). Ops read every
 * run there, so it says only what is safe to show anyone who can list workflows: phase, band, task ids and
 * roles, deadline kinds and instants — never a name, an email address or free text from the case.
 */
export function runDetails({ phase, severityBand, tasks, deadlines }: RunDetailsInput): string {
  const lines: string[] = [];
  if (phase) lines.push(`**Phase:** ${phase}${severityBand ? ` · **severity:** ${severityBand}` : ''}`);
  const open = tasks.filter((t) => t.status === 'open');
  lines.push(open.length === 0 ? '**Open tasks:** none' : '**Open tasks:**');
  for (const t of open) lines.push(`- \`${t.id}\` → ${t.role}, due ${t.due}${t.overdue ? ' (**overdue**)' : ''}`);
  const pending = deadlines.filter((d) => d.status === 'pending' || d.status === 'late');
  if (pending.length > 0) {
    lines.push('**Deadlines:**');
    for (const d of pending) lines.push(`- ${d.kind}: ${d.due}${d.status === 'late' ? ' (**late**)' : ''}`);
  }
  return lines.join('\n');
}
