/**
 * The custom search attributes lekdicht keeps on every breach workflow. They are visible to anyone who can
 * list workflows, so they never hold personal data: only phases, bands, flags and instants.
 * The embedded dev server registers them at start; a self-hosted server needs them registered once
 * (see README, "Temporal UI").
 */
export const SEARCH_ATTRIBUTES = {
  BreachPhase: 'Keyword',
  NotificationDeadline: 'Datetime',
  SeverityBand: 'Keyword',
  AuthorityNotified: 'Bool',
} as const;

export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;
