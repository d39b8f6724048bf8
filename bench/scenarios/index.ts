import type { Scenario } from '../scenario';
import { pages } from './pages';
import { intake } from './intake';
import { update } from './update';
import { memory } from './memory';
import { letters, lettersKill } from './letters';
import { history } from './history';

/**
 * Every scenario, in the order `npm run bench` runs them. Pages come first: the dashboard lists every breach the
 * server holds, and should list the 1,000 it is about, not what the other scenarios left behind.
 */
export const SCENARIOS = {
  pages,
  intake,
  update,
  memory,
  history,
  letters,
  'letters-kill': lettersKill,
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];
