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
   * The check of a budget rule (notebook 05): these widths and seeds are trained both with `rule`
   * and for the full budget, and D before/after the onset is compared. The plan's own sweep is one
   * side (with the rule when `base.earlyStop` is set, the full budget otherwise); see
   * {@link earlyStopCheckPlan} for the other.
   */
  earlyStopCheck?: { scales: number[]; seeds: number[]; rule: { metric: string; threshold: number; holdFactor: number } };
}

/** Snapshot epochs of the paper's modular-addition sweep: every 25 epochs to 2000, then every 250 to 10 000 (113 in all). */
export const PAPER_MODULAR_SNAPSHOTS: number[] = [...Array.from({ length: 81 }, (_, i) => 25 * i), ...Array.from({ length: 32 }, (_, i) => 2250 + 250 * i)];

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
 *   addition p = 59 (f 0.8) 8 scales × 3 seeds × 10 000 epochs, snapshots every 25 epochs to
 *   2000 and every 250 after (PAPER_MODULAR_SNAPSHOTS); sparse parity 8 × 3 × 10 000, 51 snapshots.
 * Every run trains its full budget. `earlyStopCheck` names the modular-addition runs that notebook 05
 * also trains under the budget rule {@link MODULAR_EARLY_STOP} (stop once test accuracy ≥ 0.99 has
 * held as long again as the onset), to show what that rule would change: measured in the quick
 * profile, it lowers D after the onset by 0.13 [0.04, 0.23] (D keeps rising after 2 t_on), so no
 * profile uses it.
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
    const check = (scales: number[], checkSeeds: number[]) => ({ scales, seeds: checkSeeds, rule: { ...MODULAR_EARLY_STOP } });
    if (p === 'smoke') {
      return {
        task: name,
        profile: p,
        scales: [126],
        seeds: [0],
        base: { task: { name, p: 23, trainFraction: 0.8 }, epochs: 1000, snapshots: { count: 11 }, metricsEvery: 10 },
        note: 'p = 23, one width, one seed',
        earlyStopCheck: check([126], [0]),
      };
    }
    if (p === 'quick') {
      return {
        task: name,
        profile: p,
        scales: DEFAULT_SCALES,
        seeds: seeds(2),
        base: { task: { name, p: 23, trainFraction: 0.8 }, epochs: 3000, snapshots: { count: 51 }, metricsEvery: 10 },
        note: 'p = 23 (f 0.8) so that eight widths fit in minutes; h = 20, 32 stall below 0.99 test accuracy and h = 50 groks near 2000–3000 epochs (may fall outside the budget)',
        earlyStopCheck: check([126, 200, 316], seeds(2)),
      };
    }
    return {
      task: name,
      profile: p,
      scales: DEFAULT_SCALES,
      seeds: seeds(3),
      base: { task: { name, p: 59, trainFraction: 0.8 }, epochs: 10000, snapshots: { epochs: PAPER_MODULAR_SNAPSHOTS }, metricsEvery: 10 },
      note: "the companion paper's p = 59, 80/20 split; snapshots every 25 epochs to 2000 (the onsets lie at ~300–2000), then every 250",
      earlyStopCheck: check([80, 126, 200], seeds(2)),
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
 * The other side of the plan's budget-rule check: the `earlyStopCheck` widths and seeds trained
 * with the check's rule when the plan trains the full budget, or for the full budget when the plan
 * itself uses a rule. Null when the plan has no check.
 */
export function earlyStopCheckPlan(plan: TrainingPlan): TrainingPlan | null {
  const check = plan.earlyStopCheck;
  if (!check) return null;
  const planHasRule = plan.base.earlyStop !== undefined && plan.base.earlyStop !== null;
  return {
    ...plan,
    scales: check.scales,
    seeds: check.seeds,
    base: { ...plan.base, earlyStop: planHasRule ? null : check.rule },
    note: `${plan.note} — budget-rule check: the same runs ${planHasRule ? 'for the full budget' : 'under the budget rule'}`,
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
