#!/usr/bin/env python3
"""I.i.d. Gaussian "gradients" in the exchange format, written with numpy alone.

The known answer of the probe: for i.i.d. Gaussian input on a Barabási–Albert graph the cascade
size S_total grows like N^1, so `grokking-fss analyze` must report D(S_total) ≈ 1 (the paper's
Gaussian baseline, 0.99 ± 0.01; the science notes measure 1.00). A check of the whole import path
— and a template for writing the format from JAX or any numpy code: one .npz per run with
`grads` [T, P] and `epochs` [T]; no accuracies here, so no onset and no pre / post split.

    python3 examples/gaussian_gradients.py runs/gaussian
    npx grokking-fss analyze runs/gaussian --json gaussian.json
"""
import argparse
import os

import numpy as np

# The eight XOR scales of the paper, N = 4h + 1 for h = 20 … 500.
WIDTHS = [20, 32, 50, 80, 126, 200, 316, 500]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('out', help='directory to write (created; must not hold other run files)')
    parser.add_argument('--seeds', type=int, default=6, help='runs per scale [6]')
    parser.add_argument('--snapshots', type=int, default=10, help='snapshots per run [10]')
    parser.add_argument('--seed', type=int, default=0, help='base seed of the random numbers [0]')
    parser.add_argument('--dtype', choices=['float32', 'float64'], default='float32', help='dtype of grads [float32]')
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for h in WIDTHS:
        n_params = 4 * h + 1
        for seed in range(args.seeds):
            rng = np.random.default_rng([args.seed, n_params, seed])
            grads = rng.standard_normal((args.snapshots, n_params)).astype(args.dtype)
            epochs = np.arange(args.snapshots, dtype=np.int64) * 100
            np.savez(os.path.join(args.out, f'gaussian-N{n_params}-seed{seed}.npz'), grads=grads, epochs=epochs, seed=seed)
    print(f'wrote {len(WIDTHS) * args.seeds} runs ({len(WIDTHS)} scales × {args.seeds} seeds × {args.snapshots} snapshots) to {args.out}')


if __name__ == '__main__':
    main()
