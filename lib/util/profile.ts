import { checkChoice } from './errors';

/**
 * Run profiles: `smoke` (CI: every stage runs, tiny budgets, seconds), `quick` (shows the
 * transition on a laptop in minutes), `paper` (the paper's sizes and budgets).
 * Each stage keeps its own per-profile budgets; this only names and validates the choice.
 */
export const PROFILE_NAMES = ['smoke', 'quick', 'paper'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * The paper's eight hidden widths h (log-spaced, 20 … 500). Defined here, below every stage, so
 * that the training defaults (DEFAULT_SCALES) and the synthetic collapse data of the numeric
 * stages share them without the numeric stages importing the training code.
 */
export const PAPER_HIDDEN_WIDTHS: readonly number[] = [20, 32, 50, 80, 126, 200, 316, 500];

/**
 * The active profile: `explicit` if given, else `GROKFSS_PROFILE`, else `fallback` ['quick'].
 * @throws InvalidOptionError naming the allowed values for anything else.
 */
export function activeProfile(explicit?: string, fallback: ProfileName = 'quick'): ProfileName {
  const value = explicit ?? process.env.GROKFSS_PROFILE;
  if (value === undefined || value === '') return fallback;
  return checkChoice(explicit !== undefined ? 'profile' : 'GROKFSS_PROFILE', value, PROFILE_NAMES);
}
