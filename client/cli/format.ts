import type { CaseView } from '../../domain/case';
import { duplicateCount } from '../../domain/report';

const AMS = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'short' });
const local = (iso: string) => AMS.format(new Date(iso));

/** The case as a person reads it in a terminal; times in Europe/Amsterdam. */
export function formatCase(view: CaseView): string {
  const lines = [
    `${view.breachId}  phase ${view.phase}${view.outcome ? `  (${view.outcome})` : ''}`,
    `opened ${local(view.openedAt)}${view.closedAt ? `, closed ${local(view.closedAt)}` : ''}; ${view.reports.length + duplicateCount(view)} report(s)`,
  ];
  if (view.facts.awareAt) lines.push(`aware since ${local(view.facts.awareAt)}`);
  if (view.deadlines.length > 0) {
    lines.push('', 'Deadlines:');
    for (const d of view.deadlines)
      lines.push(
        `  ${d.kind.padEnd(16)} ${d.status.padEnd(12)} due ${local(d.due)}${d.metAt ? `, met ${local(d.metAt)}` : ''}`,
      );
  }
  lines.push('', 'Tasks:');
  for (const t of view.tasks) {
    lines.push(
      `  ${t.id.padEnd(26)} ${t.status.padEnd(6)}${t.overdue && t.status === 'open' ? ' OVERDUE' : ''} ${t.role.padEnd(16)} due ${local(t.due)}  ${t.title}`,
    );
  }
  lines.push('', 'Timeline:');
  for (const e of view.timeline) lines.push(`  ${local(e.at)}  ${e.text}${e.actor ? ` (${e.actor})` : ''}`);
  return lines.join('\n');
}
