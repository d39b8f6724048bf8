/**
 * Numbers of people at which lekdicht's suggestion and the organisation's-interest tasks change. They are the
 * organisation's judgement, not the law's: set them in the config (`thresholds`); these are the defaults.
 */
export interface Thresholds {
  /** From this many people on, claims are a realistic risk worth a legal look (interest task "legal"). */
  claimsPeople: number;
  /** From this many people on, expect questions from the public and the press (interest task "public statement"). */
  publicAttentionPeople: number;
  /**
   * Above this many people, informing each one is taken as disproportionate effort, and a public communication is
   * suggested instead (art. 34(3)(c)). Exactly this many are still informed one by one.
   */
  publicCommunicationPeople: number;
  /**
   * From this many people on, readable data that identifies them, in unknown or public hands, is taken as a high
   * risk to each of them: at that scale identity fraud and phishing against some of them is to be expected (EDPB
   * Guidelines 01/2021, case 11: 100,000 customers' names, addresses and dates of birth on a stolen notebook).
   */
  highRiskPeople: number;
  /**
   * An outage restored within this many hours, from a complete backup and without consequences for people, weighs
   * as no risk (EDPB Guidelines 01/2021, case 1: restored within hours); longer, or with consequences, it does.
   */
  shortOutageHours: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  claimsPeople: 100,
  publicAttentionPeople: 1_000,
  publicCommunicationPeople: 100_000,
  highRiskPeople: 10_000,
  shortOutageHours: 24,
};

/** The organisation's thresholds over the defaults: runs started before a threshold existed get its default. */
export function thresholdsOf(configured: Partial<Thresholds> | undefined): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...configured };
}
