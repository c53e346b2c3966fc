import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';

export const PROBE_TRANSFORMS = ['abs', 'square'] as const;
export type ProbeTransform = (typeof PROBE_TRANSFORMS)[number];
export const PROBE_MAPPINGS = ['identity', 'shuffled'] as const;
export type ProbeMapping = (typeof PROBE_MAPPINGS)[number];

/** Options of the avalanche probe; every choice of the algorithm is one of these. */
export interface ProbeOptions {
  /** Load from value: 'abs' → |x|, 'square' → x² ['abs']. */
  transform?: ProbeTransform;
  /** θ = this quantile of the loads (numpy 'linear'), in the open interval (0, 1) [0.9]. */
  thresholdQuantile?: number;
  /** Fraction of a toppling node's load passed on to its neighbours, in (0, 1] [0.95]. */
  alpha?: number;
  /** Guard: stop the probe (truncated) when one avalanche reaches this many topplings [100·N]. */
  maxTopplings?: number;
  /** Which value sits on which node: 'identity' (value i on node i) or 'shuffled' ['identity']. */
  mapping?: ProbeMapping;
  /** Seed of the 'shuffled' permutation (integer) [0]. */
  mappingSeed?: number;
}

/** Options with every default filled in. */
export type ResolvedProbeOptions = Required<ProbeOptions>;

const KNOWN = ['transform', 'thresholdQuantile', 'alpha', 'maxTopplings', 'mapping', 'mappingSeed'];

/**
 * Validates probe options for a graph of n nodes and fills in defaults.
 * @throws InvalidOptionError naming the option and its allowed range
 */
export function resolveProbeOptions(options: ProbeOptions = {}, n: number): ResolvedProbeOptions {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('probe.options', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) throw new InvalidOptionError(`probe.${key}`, `unknown option; allowed: ${KNOWN.join(', ')}`);
  }
  const transform = checkChoice('probe.transform', options.transform ?? 'abs', PROBE_TRANSFORMS);
  const q = options.thresholdQuantile ?? 0.9;
  if (typeof q !== 'number' || !(q > 0 && q < 1))
    throw new InvalidOptionError('probe.thresholdQuantile', `must be a number in the open interval (0, 1), got ${String(q)}`);
  const alpha = options.alpha ?? 0.95;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha <= 1)) throw new InvalidOptionError('probe.alpha', `must be a number in (0, 1], got ${String(alpha)}`);
  const maxTopplings = options.maxTopplings ?? 100 * n;
  checkInteger('probe.maxTopplings', maxTopplings, 1, 2 ** 31 - 1);
  const mapping = checkChoice('probe.mapping', options.mapping ?? 'identity', PROBE_MAPPINGS);
  const mappingSeed = options.mappingSeed ?? 0;
  checkInteger('probe.mappingSeed', mappingSeed, -(2 ** 53), 2 ** 53);
  return { transform, thresholdQuantile: q, alpha, maxTopplings, mapping, mappingSeed };
}
