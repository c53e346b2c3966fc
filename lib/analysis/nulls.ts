/**
 * Synthetic null snapshots matched one-to-one to real ones, so that every null goes through
 * exactly the same probe, graph and fit as the real data it is compared with.
 */
import { SnapshotInput, syntheticGradients, SyntheticKind, SYNTHETIC_KINDS } from '../probe/index';
import { checkChoice } from '../util/errors';
import { deriveSeed } from '../util/random';

/**
 * For each real snapshot, a synthetic one of the same length, scale, seed, snapshot index,
 * epoch and layout: 'gaussian' and 'student-t' ignore the real values; 'permuted' and
 * 'matched' are built from them. Seeds derive from (seed, kind, run seed, snapshot index), so
 * the nulls are reproducible and independent across snapshots.
 * @param options.seed base seed [0]; options.df Student-t degrees of freedom [1.5]
 */
export function nullSnapshots(real: SnapshotInput[], kind: SyntheticKind, options: { seed?: number; df?: number } = {}): SnapshotInput[] {
  checkChoice('nullKind', kind, SYNTHETIC_KINDS);
  const base = options.seed ?? 0;
  return real.map((snapshot) => ({
    ...snapshot,
    values: syntheticGradients(
      kind,
      snapshot.values.length,
      deriveSeed(base, 'null', kind, snapshot.scaleN ?? snapshot.values.length, snapshot.seed, snapshot.snapshot),
      {
        snapshot: snapshot.values,
        df: options.df,
      },
    ),
  }));
}
