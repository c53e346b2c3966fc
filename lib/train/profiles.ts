import { TaskName, TASK_NAMES } from '../tasks/makeTask';
import { checkChoice } from '../util/errors';
import { activeProfile, ProfileName } from '../util/profile';
import { DEFAULT_SCALES, TrainConfigInput } from './config';

/** What a profile trains for one task: a base config (everything but width and seed), scales and seeds. */
export interface TrainingPlan {
  task: TaskName;
  profile: ProfileName;
  /** Hidden widths h (one hidden layer each). */
  scales: number[];
  seeds: number[];
  /** Base config: pass `{ ...plan.base, hidden: h, seed }` to trainRun. */
  base: TrainConfigInput;
  /** Why this budget, in one line. */
  note: string;
  /**
   * When `base.earlyStop` is set: the widths and seeds that notebook 05 also trains without the
   * budget rule, to show that D before/after the onset does not depend on it.
   */
  earlyStopCheck?: { scales: number[]; seeds: number[] };
}

/** The budget rule of the modular-addition profiles: stop once test accuracy ≥ 0.99 has held as long again as its onset. */
export const MODULAR_EARLY_STOP = { metric: 'testAccuracy', threshold: 0.99, holdFactor: 1 } as const;

/**
 * Budgets per task and profile (recipes from shared/science-notes.md; every other option is the
 * task's default recipe, see taskDefaults):
 * - smoke — CI: a couple of runs per task, all three tasks in well under a minute on one core;
 * - quick — shows the transition on a laptop in minutes: XOR 8 scales × 6 seeds × 2000 epochs,
 *   modular addition p = 23 (f 0.8) 8 scales × 2 seeds × 3000 epochs (p = 23 instead of the
 *   default 59 to fit the budget; h = 20, 32 are known not to grok at wd = 1), sparse parity
 *   n = 20, k = 3 8 scales × 2 seeds × 5000 epochs;
 * - paper — the paper's sizes: XOR 8 scales × 6 seeds × 5000 epochs, 51 snapshots; modular
 *   addition p = 59 (f 0.8) 8 scales × 3 seeds × 10 000 epochs, a snapshot every 25 epochs;
 *   sparse parity 8 × 3 × 10 000, 51 snapshots.
 * Modular addition (quick and paper) runs under the budget rule {@link MODULAR_EARLY_STOP}: a run
 * stops once its test accuracy has stayed ≥ 0.99 for as many epochs again as its test onset (the
 * widths that never grok run the whole budget). Its snapshots lie on the profile's fixed grid,
 * so a stopped run has exactly the first snapshots of its full-budget run. `earlyStopCheck`
 * names the runs that notebook 05 also trains without the rule to check that D is unchanged.
 * @param profile a profile name, or undefined for GROKFSS_PROFILE ['quick'].
 */
export function trainingPlan(task: string, profile?: string): TrainingPlan {
  const name = checkChoice('task', task, TASK_NAMES);
  const p = activeProfile(profile);
  const seeds = (k: number) => Array.from({ length: k }, (_, i) => i);
  if (name === 'xor') {
    if (p === 'smoke')
      return {
        task: name,
        profile: p,
        scales: [20, 500],
        seeds: [0],
        base: { task: 'xor', epochs: 1500, snapshots: { count: 11 }, metricsEvery: 1 },
        note: 'two widths, one seed, past the ~600-epoch plateau',
      };
    if (p === 'quick')
      return {
        task: name,
        profile: p,
        scales: DEFAULT_SCALES,
        seeds: seeds(6),
        base: { task: 'xor', epochs: 2000, snapshots: { count: 51 }, metricsEvery: 1 },
        note: 'all eight widths, six seeds; plateaus end at ~500–1400 epochs',
      };
    return {
      task: name,
      profile: p,
      scales: DEFAULT_SCALES,
      seeds: seeds(6),
      base: { task: 'xor', epochs: 5000, snapshots: { count: 51 }, metricsEvery: 1 },
      note: "the paper's XOR sweep: N = 4h + 1 = 81 … 2001, six seeds, 51 snapshots",
    };
  }
  if (name === 'modular-addition') {
    const earlyStop = { ...MODULAR_EARLY_STOP };
    if (p === 'smoke') {
      return {
        task: name,
        profile: p,
        scales: [126],
        seeds: [0],
        base: { task: { name, p: 23, trainFraction: 0.8 }, epochs: 1000, snapshots: { count: 11 }, metricsEvery: 10, earlyStop },
        note: 'p = 23, one width, one seed; budget rule on (it does not fire within 1000 epochs)',
        earlyStopCheck: { scales: [126], seeds: [0] },
      };
    }
    if (p === 'quick') {
      return {
        task: name,
        profile: p,
        scales: DEFAULT_SCALES,
        seeds: seeds(2),
        base: { task: { name, p: 23, trainFraction: 0.8 }, epochs: 3000, snapshots: { count: 51 }, metricsEvery: 10, earlyStop },
        note: 'p = 23 (f 0.8) so that eight widths fit in minutes; h = 20, 32 stall below 0.99 test accuracy and h = 50 groks near 2000–3000 epochs (may fall outside the budget); a run stops once test accuracy ≥ 0.99 has held as long again as its onset',
        earlyStopCheck: { scales: [126, 200, 316], seeds: seeds(2) },
      };
    }
    return {
      task: name,
      profile: p,
      scales: DEFAULT_SCALES,
      seeds: seeds(3),
      base: { task: { name, p: 59, trainFraction: 0.8 }, epochs: 10000, snapshots: { count: 401 }, metricsEvery: 10, earlyStop },
      note: "the companion paper's p = 59, 80/20 split; a snapshot every 25 epochs; a run stops once test accuracy ≥ 0.99 has held as long again as its onset",
      earlyStopCheck: { scales: [80, 126, 200], seeds: seeds(2) },
    };
  }
  if (p === 'smoke')
    return {
      task: name,
      profile: p,
      scales: [126],
      seeds: [0],
      base: { task: { name, n: 20, k: 3 }, epochs: 1000, snapshots: { count: 11 }, metricsEvery: 10 },
      note: 'n = 20, k = 3, one width, one seed (too short to generalise; checks the pipeline)',
    };
  if (p === 'quick')
    return {
      task: name,
      profile: p,
      scales: DEFAULT_SCALES,
      seeds: seeds(2),
      base: { task: { name, n: 20, k: 3 }, epochs: 5000, snapshots: { count: 51 }, metricsEvery: 10 },
      note: 'n = 20, k = 3, 1000 training points; test accuracy creeps up slowly (≈ 0.97 at 3000 epochs for h = 126)',
    };
  return {
    task: name,
    profile: p,
    scales: DEFAULT_SCALES,
    seeds: seeds(3),
    base: { task: { name, n: 20, k: 3 }, epochs: 10000, snapshots: { count: 51 }, metricsEvery: 10 },
    note: 'n = 20, k = 3, 1000 training points, three seeds',
  };
}

/**
 * The sweep that checks the budget rule: the plan's `earlyStopCheck` widths and seeds with the
 * same config but no early stop (the full budget). Null when the plan has no budget rule.
 */
export function earlyStopCheckPlan(plan: TrainingPlan): TrainingPlan | null {
  if (!plan.earlyStopCheck || !plan.base.earlyStop) return null;
  return {
    ...plan,
    scales: plan.earlyStopCheck.scales,
    seeds: plan.earlyStopCheck.seeds,
    base: { ...plan.base, earlyStop: null },
    note: `${plan.note} — check of the budget rule: the same runs without it (full budget)`,
    earlyStopCheck: undefined,
  };
}

/**
 * Every sweep the notebooks of a profile train, in the order the main job trains them: XOR
 * (notebooks 01–04, 06–08), modular addition (05) and its budget-rule check (05).
 */
export function profileSweeps(profile?: string): TrainingPlan[] {
  const modular = trainingPlan('modular-addition', profile);
  const check = earlyStopCheckPlan(modular);
  return [trainingPlan('xor', profile), modular, ...(check ? [check] : [])];
}
