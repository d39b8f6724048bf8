import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Typed keys for the attributes declared, with their types, in domain/search-attributes.ts.
export const BREACH_PHASE = defineSearchAttributeKey('BreachPhase', SearchAttributeType.KEYWORD);
export const NOTIFICATION_DEADLINE = defineSearchAttributeKey('NotificationDeadline', SearchAttributeType.DATETIME);
export const AUTHORITY_NOTIFIED = defineSearchAttributeKey('AuthorityNotified', SearchAttributeType.BOOL);

export const SEVERITY_BAND = defineSearchAttributeKey('SeverityBand', SearchAttributeType.KEYWORD);
