#!/usr/bin/env python3
"""Train small models in PyTorch and write their gradient snapshots in grokking-fss's exchange format.

The paper's XOR task, 2 -> h -> 1 with tanh, weights initialised ×0.1, plain SGD (lr 1.0) on
BCE-with-logits, full batch: a plateau at 2/4 accuracy, then a jump to 4/4 (the recipe of the
science notes). For every width h and seed, one .npz file with

    grads       [T, P] float32   the flattened full-batch gradient at T snapshot steps
    epochs      [T]    int64     the step of each snapshot
    train_acc   [K]    float64   training accuracy after every step, with
    acc_epochs  [K]    int64     its step (grokking-fss finds the onset from these)
    seed, n_params               scalars
    layout                       JSON: [[name, shape], ...] of model.named_parameters(),
                                 PyTorch's [out, in] weights (enables --topology network)

Then:   npx grokking-fss analyze <out> [--topology network] [--json summary.json] [--figures figs/]

    /usr/bin/python3 examples/export_pytorch.py runs/xor-torch [--widths 8,16,32,64] [--seeds 0,1]
"""
import argparse
import json
import os

import numpy as np
import torch


def train_run(h, seed, steps, snapshots):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(2, h), torch.nn.Tanh(), torch.nn.Linear(h, 1))
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(0.1)  # small init: the plateau-then-jump regime
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    snapshot_steps = set(np.unique(np.linspace(0, steps - 1, snapshots).round().astype(int)).tolist())
    grads, epochs, accuracy = [], [], []
    for step in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        if step in snapshot_steps:
            grads.append(torch.cat([p.grad.flatten() for p in model.parameters()]).numpy().copy())
            epochs.append(step)
        optimizer.step()
        with torch.no_grad():
            accuracy.append(((model(x) > 0).float() == y).float().mean().item())
    layout = [[name, list(p.shape)] for name, p in model.named_parameters()]
    return dict(
        grads=np.stack(grads).astype(np.float32),
        epochs=np.array(epochs, dtype=np.int64),
        train_acc=np.array(accuracy),
        acc_epochs=np.arange(steps, dtype=np.int64),
        seed=seed,
        n_params=sum(p.numel() for p in model.parameters()),
        layout=json.dumps(layout),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('out', help='directory to write (created)')
    parser.add_argument('--widths', default='8,16,32,64', help='hidden widths h, comma-separated [8,16,32,64]')
    parser.add_argument('--seeds', default='0,1', help='seeds, comma-separated [0,1]')
    parser.add_argument('--steps', type=int, default=1500, help='full-batch SGD steps [1500]')
    parser.add_argument('--snapshots', type=int, default=16, help='gradient snapshots per run, evenly spaced [16]')
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    widths = [int(h) for h in args.widths.split(',')]
    seeds = [int(s) for s in args.seeds.split(',')]
    for h in widths:
        for seed in seeds:
            run = train_run(h, seed, args.steps, args.snapshots)
            np.savez(os.path.join(args.out, f'xor-torch-h{h}-seed{seed}.npz'), **run)
    print(f'wrote {len(widths) * len(seeds)} runs (widths {widths}, seeds {seeds}) to {args.out}')


if __name__ == '__main__':
    main()
