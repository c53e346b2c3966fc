/**
 * Gini coefficient of |θ| (0 = all magnitudes equal, → 1 = all weight in one parameter):
 * G = Σ_i (2i − n − 1)·x_(i) / (n · Σ x), x sorted ascending, i = 1 … n. 0 when all are 0.
 */
export function giniOfMagnitudes(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.abs(values[i]);
  x.sort();
  let weighted = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    weighted += (2 * (i + 1) - n - 1) * x[i];
    total += x[i];
  }
  return total === 0 ? 0 : weighted / (n * total);
}

/** Euclidean (L2) norm √Σ θ². */
export function l2Norm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s);
}

/** True when every value is finite (no NaN, no ±Inf). */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
