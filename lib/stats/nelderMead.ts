/** Result of {@link nelderMead}. */
export interface NelderMeadResult {
  /** Location of the best vertex found. */
  x: number[];
  /** Objective value there. */
  value: number;
  iterations: number;
  evaluations: number;
  /** True when the simplex met the tolerances before `maxIterations`. */
  converged: boolean;
}

/** Options of {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Initial simplex edge per coordinate [10 % of |x0|, or 0.05 for zero entries]. */
  step?: number | number[];
  /** Stop when the spread of objective values across vertices is below this [1e-10]. */
  valueTolerance?: number;
  /** … and every vertex lies within this distance of the best in each coordinate [1e-8]. */
  pointTolerance?: number;
  /** Most iterations [2000 · dimension]. */
  maxIterations?: number;
}

/**
 * Minimises `f` by the Nelder–Mead downhill simplex (reflection 1, expansion 2, contraction
 * 1/2, shrink 1/2). Derivative-free; deterministic for a given start. Non-finite objective
 * values are treated as +∞, so a function may return NaN/Infinity outside its domain.
 */
export function nelderMead(f: (x: number[]) => number, x0: number[], options: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  if (n === 0) throw new RangeError('nelderMead: x0 must have at least one coordinate');
  const valueTol = options.valueTolerance ?? 1e-10;
  const pointTol = options.pointTolerance ?? 1e-8;
  const maxIter = options.maxIterations ?? 2000 * n;
  let evaluations = 0;
  const evaluate = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const steps = Array.from({ length: n }, (_, i) => {
    const st = options.step;
    if (Array.isArray(st)) return st[i];
    if (typeof st === 'number') return st;
    return x0[i] !== 0 ? 0.1 * Math.abs(x0[i]) : 0.05;
  });
  const simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const v = x0.slice();
    v[i] += steps[i];
    simplex.push(v);
  }
  const values = simplex.map(evaluate);
  let iterations = 0;
  let converged = false;
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  while (iterations < maxIter) {
    order.sort((a, b) => values[a] - values[b] || a - b);
    const best = order[0];
    const worst = order[n];
    const secondWorst = order[n - 1];
    // Convergence: values and points both collapsed.
    let maxDist = 0;
    for (const k of order) for (let i = 0; i < n; i++) maxDist = Math.max(maxDist, Math.abs(simplex[k][i] - simplex[best][i]));
    if (Math.abs(values[worst] - values[best]) <= valueTol && maxDist <= pointTol) {
      converged = true;
      break;
    }
    if (maxDist <= pointTol * 1e-3) {
      converged = true;
      break;
    }
    iterations++;
    const centroid = new Array<number>(n).fill(0);
    for (const k of order) if (k !== worst) for (let i = 0; i < n; i++) centroid[i] += simplex[k][i] / n;
    const along = (t: number) => centroid.map((c, i) => c + t * (c - simplex[worst][i]));
    const reflected = along(1);
    const fr = evaluate(reflected);
    if (fr < values[best]) {
      const expanded = along(2);
      const fe = evaluate(expanded);
      if (fe < fr) {
        simplex[worst] = expanded;
        values[worst] = fe;
      } else {
        simplex[worst] = reflected;
        values[worst] = fr;
      }
      continue;
    }
    if (fr < values[secondWorst]) {
      simplex[worst] = reflected;
      values[worst] = fr;
      continue;
    }
    // Contraction: outside if the reflected point improved on the worst, inside otherwise.
    const outside = fr < values[worst];
    const contracted = along(outside ? 0.5 : -0.5);
    const fc = evaluate(contracted);
    if (fc < (outside ? fr : values[worst])) {
      simplex[worst] = contracted;
      values[worst] = fc;
      continue;
    }
    // Shrink towards the best vertex.
    for (const k of order) {
      if (k === best) continue;
      simplex[k] = simplex[k].map((v, i) => simplex[best][i] + 0.5 * (v - simplex[best][i]));
      values[k] = evaluate(simplex[k]);
    }
  }
  let bestIndex = 0;
  for (let k = 1; k <= n; k++) if (values[k] < values[bestIndex]) bestIndex = k;
  return { x: simplex[bestIndex].slice(), value: values[bestIndex], iterations, evaluations, converged };
}
