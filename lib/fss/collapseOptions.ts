import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { COLLAPSE_AMPLITUDES, CollapseAmplitude } from './collapseFit';

/** Options of {@link dataCollapse}; every choice of the procedure is one of these. */
export interface DataCollapseOptions {
  /** Logarithmic bins per decade of s, shared by every scale, > 0 [10]. */
  binsPerDecade?: number;
  /** Integer sizes: a bin's density is its mass per integer [detected: true when every size is an integer]. */
  discrete?: boolean;
  /** Bins with fewer avalanches are left out (their Poisson error is not Gaussian); this is where each curve's window ends at large s; integer ≥ 1 [10]. */
  minCount?: number;
  /** Lower size cutoff: a number overrides the rule; 'auto' chooses it by the plateau rule (see dataCollapse) ['auto']. */
  sMin?: number | 'auto';
  /** Upper size cutoff: bins holding sizes above it are left out, > 0 [Infinity: only `minCount` ends the window]. */
  sMax?: number;
  /** Candidate s_min values per decade for 'auto' (successive candidates ≥ 10^(1/this) apart), > 0 [5]. */
  sMinCandidatesPerDecade?: number;
  /** Candidates span at most this many decades above the smallest size, > 0 [1.5]. */
  sMinSearchDecades?: number;
  /** Plateau rule: estimates agree when they differ by at most this many bootstrap SDs of their difference, > 0 [2]. */
  plateauZ?: number;
  /** Plateau rule: each candidate is compared with this many larger candidates (a factor 10^(span/perDecade) in s_min, 4 with the defaults), integer ≥ 1 [3]. */
  plateauSpan?: number;
  /** Fewest bins a curve must keep inside the window to take part, integer ≥ 2 [3]. */
  minPoints?: number;
  /** Fewest scales: fewer in the input is an error, fewer inside a window ends the candidates; integer ≥ 3 [3]. */
  minScales?: number;
  /** 'normalization': curves may differ by the amplitude A_N = 1 − β (N/N₁)^(−D(τ−1)) that normalising P_N implies; 'none': the textbook collapse (β = 0) ['normalization']. */
  amplitude?: CollapseAmplitude;
  /** Allowed τ, [low, high] with low < high; an optimum at an edge is flagged [[0, 4]]. */
  tauRange?: [number, number];
  /** Allowed D, [low, high] with low < high; an optimum at an edge is flagged [[0, 4]]. */
  DRange?: [number, number];
  /** Points per axis of the global start grid over the allowed (τ, D) range, integer ≥ 3 [17]. */
  gridSize?: number;
  /** (τ, D) leaving fewer than this fraction of the points with neighbours on other curves are rejected, in (0, 1] [0.25]. */
  minTermsFraction?: number;
  /** Bootstrap resamples of the avalanches, integer ≥ 0; 'auto' s_min needs ≥ 20 [200]. */
  bootstrap?: number;
  /** Confidence of the intervals, in (0, 1) [0.95]. */
  confidence?: number;
  /** Seed of the bootstrap resamples (integer) [0]. */
  seed?: number;
  /** The collapse holds only if S at the optimum is at most this (S ≈ 1 for a collapse within Poisson errors), > 0 [2]. */
  maxQuality?: number;
}

/** Options with every default filled in. */
export interface ResolvedDataCollapseOptions {
  binsPerDecade: number;
  discrete: boolean | undefined;
  minCount: number;
  sMin: number | 'auto';
  sMax: number;
  sMinCandidatesPerDecade: number;
  sMinSearchDecades: number;
  plateauZ: number;
  plateauSpan: number;
  minPoints: number;
  minScales: number;
  amplitude: CollapseAmplitude;
  tauRange: [number, number];
  DRange: [number, number];
  gridSize: number;
  minTermsFraction: number;
  bootstrap: number;
  confidence: number;
  seed: number;
  maxQuality: number;
}

const KNOWN = [
  'binsPerDecade',
  'discrete',
  'minCount',
  'sMin',
  'sMax',
  'sMinCandidatesPerDecade',
  'sMinSearchDecades',
  'plateauZ',
  'plateauSpan',
  'minPoints',
  'minScales',
  'amplitude',
  'tauRange',
  'DRange',
  'gridSize',
  'minTermsFraction',
  'bootstrap',
  'confidence',
  'seed',
  'maxQuality',
];

function positive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || Number.isNaN(value)) throw new InvalidOptionError(field, `must be a number > 0, got ${String(value)}`);
  return value;
}

function range(field: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v)) || !(value[0] < value[1])) {
    throw new InvalidOptionError(field, `must be [low, high] with finite low < high, got ${JSON.stringify(value)}`);
  }
  return [value[0], value[1]];
}

/**
 * Validates dataCollapse options and fills in defaults.
 * @throws InvalidOptionError naming the option and its allowed values
 */
export function resolveCollapseOptions(options: DataCollapseOptions = {}): ResolvedDataCollapseOptions {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'must be an object');
  for (const key of Object.keys(options)) if (!KNOWN.includes(key)) throw new InvalidOptionError(key, `unknown option; allowed: ${KNOWN.join(', ')}`);
  const binsPerDecade = positive('binsPerDecade', options.binsPerDecade ?? 10);
  if (!Number.isFinite(binsPerDecade)) throw new InvalidOptionError('binsPerDecade', 'must be finite');
  if (options.discrete !== undefined && typeof options.discrete !== 'boolean')
    throw new InvalidOptionError('discrete', `must be true or false, got ${String(options.discrete)}`);
  const sMin = options.sMin ?? 'auto';
  if (sMin !== 'auto' && (typeof sMin !== 'number' || !Number.isFinite(sMin) || sMin <= 0))
    throw new InvalidOptionError('sMin', `must be 'auto' or a finite number > 0, got ${JSON.stringify(sMin)}`);
  const sMax = positive('sMax', options.sMax ?? Infinity);
  if (sMin !== 'auto' && !(sMax > sMin)) throw new InvalidOptionError('sMax', `must be > sMin = ${sMin}, got ${sMax}`);
  const bootstrap = checkInteger('bootstrap', options.bootstrap ?? 200, 0, 1e6);
  if (sMin === 'auto' && bootstrap < 20)
    throw new InvalidOptionError(
      'bootstrap',
      `sMin 'auto' compares estimates in units of their bootstrap spread: needs bootstrap ≥ 20, got ${bootstrap} (or give sMin as a number)`,
    );
  const minScales = checkInteger('minScales', options.minScales ?? 3, 3);
  const confidence = options.confidence ?? 0.95;
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1))
    throw new InvalidOptionError('confidence', `must be a number in (0, 1), got ${String(confidence)}`);
  const minTermsFraction = options.minTermsFraction ?? 0.25;
  if (typeof minTermsFraction !== 'number' || !(minTermsFraction > 0 && minTermsFraction <= 1))
    throw new InvalidOptionError('minTermsFraction', `must be a number in (0, 1], got ${String(minTermsFraction)}`);
  return {
    binsPerDecade,
    discrete: options.discrete,
    minCount: checkInteger('minCount', options.minCount ?? 10, 1),
    sMin,
    sMax,
    sMinCandidatesPerDecade: positive('sMinCandidatesPerDecade', options.sMinCandidatesPerDecade ?? 5),
    sMinSearchDecades: positive('sMinSearchDecades', options.sMinSearchDecades ?? 1.5),
    plateauZ: positive('plateauZ', options.plateauZ ?? 2),
    plateauSpan: checkInteger('plateauSpan', options.plateauSpan ?? 3, 1),
    minPoints: checkInteger('minPoints', options.minPoints ?? 3, 2),
    minScales,
    amplitude: checkChoice('amplitude', options.amplitude ?? 'normalization', COLLAPSE_AMPLITUDES),
    tauRange: range('tauRange', options.tauRange ?? [0, 4]),
    DRange: range('DRange', options.DRange ?? [0, 4]),
    gridSize: checkInteger('gridSize', options.gridSize ?? 17, 3, 1000),
    minTermsFraction,
    bootstrap,
    confidence,
    seed: checkInteger('seed', options.seed ?? 0, -(2 ** 53), 2 ** 53),
    maxQuality: positive('maxQuality', options.maxQuality ?? 2),
  };
}
