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
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  claimsPeople: 100,
  publicAttentionPeople: 1_000,
  publicCommunicationPeople: 100_000,
};
