import { SnapshotSchedule } from './config';

/**
 * The epochs at which snapshots are taken, ascending, without repeats.
 * linear: round(i·epochs/(count−1)), i = 0 … count−1 (count = 51 gives the paper's 51 evenly
 * spaced snapshots including epoch 0 and the last epoch; count = 1 gives the last epoch).
 * log: epoch 0, then round(epochs^(i/(count−2))) for i = 0 … count−2 (1 … epochs); repeats
 * among the small epochs are replaced by the next unused epoch so that exactly `count` distinct
 * epochs come out. An explicit list is returned sorted.
 */
export function snapshotEpochs(schedule: SnapshotSchedule, epochs: number): number[] {
  if ('epochs' in schedule) return [...schedule.epochs].sort((a, b) => a - b);
  const { count, spacing } = schedule;
  if (count === 0) return [];
  if (count === 1) return [epochs];
  if (spacing === 'linear') {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const e = Math.round((i * epochs) / (count - 1));
      if (out.length === 0 || out[out.length - 1] !== e) out.push(e);
    }
    return out;
  }
  const out = [0];
  const rest = count - 1;
  for (let i = 0; i < rest; i++) {
    let e = rest === 1 ? epochs : Math.round(Math.pow(epochs, i / (rest - 1)));
    // Keep epochs distinct: bump a repeat to the next free epoch (never past what the
    // remaining slots allow, so the last epoch stays reachable).
    if (e <= out[out.length - 1]) e = out[out.length - 1] + 1;
    e = Math.min(e, epochs - (rest - 1 - i));
    out.push(e);
  }
  return out;
}

/** Epochs at which metrics are evaluated: 0, k, 2k, … and always the last epoch. */
export function metricEpochs(metricsEvery: number, epochs: number): number[] {
  const out: number[] = [];
  for (let e = 0; e <= epochs; e += metricsEvery) out.push(e);
  if (out[out.length - 1] !== epochs) out.push(epochs);
  return out;
}
