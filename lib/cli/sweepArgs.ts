/**
 * The command-line options that select a sweep, shared by `train`, `slurm` and `status`:
 * --task, --profile and the overrides --scales, --seeds, --epochs, --snapshots, --p,
 * --train-fraction. `--task all` selects every sweep of the profile (what `npm run reproduce`
 * trains: lib/train/profiles.ts profileSweeps).
 */
import { profileSweeps, TrainingPlan, trainingPlan } from '../train/profiles';
import { SweepConfig, sweepRuns } from '../train/trainScales';
import { TASK_NAMES } from '../tasks/makeTask';
import { InvalidOptionError } from '../util/errors';
import { ProfileName } from '../util/profile';
import { numberList, numberValue, SWEEP_OPTIONS } from './common';

export { numberList, numberValue, SWEEP_OPTIONS };

/** The overrides of a profile's plan; not allowed with `--task all`. */
const OVERRIDES = ['scales', 'seeds', 'epochs', 'snapshots', 'p', 'train-fraction'] as const;

/** What the sweep options select. */
export interface SweepSelection {
  profile: ProfileName;
  /** True for `--task all` (every sweep of the profile). */
  all: boolean;
  /** The sweeps, each with its plan and a label: the task, plus "/full-budget" for the budget-rule check. */
  sweeps: Array<{ label: string; plan: TrainingPlan; sweep: SweepConfig }>;
  /** The sweep flags in canonical form (profile resolved), to pass on to `grokking-fss train`. */
  args: string[];
}

/**
 * The sweeps selected by the options (parsed by main.ts parseArgs), every run's config
 * validated: throws an InvalidOptionError naming the field or flag before any work.
 */
export function sweepSelection(options: Record<string, string | true>): SweepSelection {
  const value = (name: string): string | undefined => (typeof options[name] === 'string' ? (options[name] as string) : undefined);
  const task = value('task');
  if (task === undefined)
    throw new InvalidOptionError(
      '--task',
      `is required; allowed values: ${[...TASK_NAMES, 'all'].map((t) => JSON.stringify(t)).join(', ')} (all: every sweep of the profile)`,
    );
  if (task === 'all') {
    const given = OVERRIDES.find((name) => value(name) !== undefined);
    if (given)
      throw new InvalidOptionError(
        `--${given}`,
        'cannot be combined with --task all (each sweep of the profile has its own plan); give one --task to override its plan',
      );
    const plans = profileSweeps(value('profile'));
    const sweeps = plans.map((plan) => ({
      label: `${plan.task}${plan.base.earlyStop === null ? '/full-budget' : ''}`,
      plan,
      sweep: { base: plan.base, scales: plan.scales, seeds: plan.seeds },
    }));
    sweepRuns(sweeps.map((s) => s.sweep));
    return { profile: plans[0].profile, all: true, sweeps, args: ['--task', 'all', '--profile', plans[0].profile] };
  }
  const plan = trainingPlan(task, value('profile'));
  const base = { ...plan.base };
  const epochs = value('epochs');
  const snapshots = value('snapshots');
  if (epochs !== undefined) base.epochs = numberValue('--epochs', epochs);
  if (snapshots !== undefined) base.snapshots = { count: numberValue('--snapshots', snapshots) };
  for (const flag of ['p', 'train-fraction']) {
    if (value(flag) !== undefined && plan.task !== 'modular-addition')
      throw new InvalidOptionError(`--${flag}`, `applies only to --task modular-addition, not ${plan.task}`);
  }
  const p = value('p');
  const trainFraction = value('train-fraction');
  if (p !== undefined || trainFraction !== undefined) {
    const taskConfig: Record<string, unknown> = { ...(base.task as Record<string, unknown>), name: 'modular-addition' };
    if (p !== undefined) taskConfig.p = numberValue('--p', p);
    if (trainFraction !== undefined) taskConfig.trainFraction = numberValue('--train-fraction', trainFraction);
    base.task = taskConfig as { name: string };
  }
  const scales = value('scales');
  const seeds = value('seeds');
  const sweep: SweepConfig = {
    base,
    scales: scales !== undefined ? numberList('--scales', scales) : plan.scales,
    seeds: seeds !== undefined ? numberList('--seeds', seeds) : plan.seeds,
  };
  sweepRuns([sweep]); // every run's config is valid before anything starts
  const args = ['--task', plan.task, '--profile', plan.profile];
  for (const name of OVERRIDES) if (value(name) !== undefined) args.push(`--${name}`, value(name)!);
  return { profile: plan.profile, all: false, sweeps: [{ label: plan.task, plan, sweep }], args };
}

/** "xor 2 scales × 1 seeds; modular-addition 1 scales × 1 seeds; …" */
export function describeSweeps(selection: SweepSelection): string {
  return selection.sweeps.map((s) => `${s.label} ${s.sweep.scales.length} scales × ${s.sweep.seeds.length} seeds`).join('; ');
}
