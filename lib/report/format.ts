/**
 * Caveats of the report's tables and sentences, built from the counts and flags of typed results.
 */

/** The caveat of a fit or band resting on one training seed at some scale. */
const ONE_SEED = 'one training seed at some scale: the bootstrap CI cannot show seed-to-seed spread';

/** The caveats of a fit or a D(t) as phrases, from its counts and flags (never from text). */
export function caveats(x: {
  leftOut?: { truncated?: number; nonPositive?: number; noOnset?: number };
  oneSeedPerScale?: boolean;
  reason?: string | null;
  fit?: { scales: number[] } | null;
}): string[] {
  const out: string[] = [];
  if (x.reason) out.push(x.reason);
  const l = x.leftOut ?? {};
  if (l.truncated) out.push(`${l.truncated} truncated probe(s) left out`);
  if (l.nonPositive) out.push(`${l.nonPositive} snapshot(s) with value 0 left out`);
  if (l.noOnset) out.push(`${l.noOnset} snapshot(s) of runs without an onset left out`);
  if (x.oneSeedPerScale) out.push(ONE_SEED);
  if (x.fit && x.fit.scales.length === 2) out.push('two scales: the line passes through both points (R² = 1 says nothing)');
  return out;
}
