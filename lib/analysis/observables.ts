/**
 * The two observables of one probed snapshot and their names. S_total (total topplings of the
 * snapshot) is the primary one: only it gives a topology-free Gaussian baseline (see the science
 * notes); s_max (the largest avalanche) is the paper's literal definition and comes second.
 */

/** Columns of the probe summary that D is fitted to, primary first. */
export const OBSERVABLES = ['totalTopplings', 'sMax'] as const;
export type Observable = (typeof OBSERVABLES)[number];
