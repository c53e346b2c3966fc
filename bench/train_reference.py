"""PyTorch reference for `npm run bench -- train` (benchmark only; PyTorch is never a dependency).

Times one full-batch training step on one CPU thread, on the same shapes and rules as the
project's engine (lib/train/mlp.ts + lib/train/optimizers.ts):
  modular addition, p = 59, train fraction 0.8 (2785 rows): inputs one-hot of a and of b
  (118 units) -> h -> 59, x^2 activation, no biases, softmax cross-entropy, AdamW
  (lr 1e-3, betas 0.9/0.98, weight decay 1), written two ways a PyTorch user would:
    dense  -- the one-hot matrix times W1 (nn.Linear, as in the issue's measurement);
    embed  -- the sum of two rows of W1 (an embedding lookup, exactly equal, the faster one);
  XOR: 4 rows, 2 -> h -> 1 with biases, tanh, BCE with logits, SGD lr 1.
Each step: forward, loss, backward, optimiser step, and the flattened gradient copied out
(our engine reads the gradient back every step). Prints one JSON object: ms per step (median of
the timed steps; CPU time of the process and wall time) per task and width. Run with OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
(Debian's torch uses the system OpenBLAS, which ignores torch.set_num_threads).

Usage: python3 bench/train_reference.py <min_seconds_per_width> <width> [<width> ...]
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)


def median_ms(step, min_seconds):
    """Median CPU ms (time.process_time) and wall ms per step."""
    for _ in range(5):
        step()
    cpu, wall = [], []
    start = time.perf_counter()
    while time.perf_counter() - start < min_seconds or len(cpu) < 10:
        c0, t0 = time.process_time(), time.perf_counter()
        step()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    cpu.sort()
    wall.sort()
    return {"cpu": cpu[len(cpu) // 2], "wall": wall[len(wall) // 2]}


def modular_addition(h, dense, min_seconds, p=59, fraction=0.8):
    pairs = torch.randperm(p * p)[: round(fraction * p * p)]
    a, b = pairs // p, pairs % p
    y = (a + b) % p
    w1 = torch.nn.Parameter((torch.rand(2 * p, h) * 2 - 1) / (2 * p) ** 0.5)
    w2 = torch.nn.Parameter((torch.rand(h, p) * 2 - 1) / h ** 0.5)
    params = [w1, w2]
    optimizer = torch.optim.AdamW(params, lr=1e-3, betas=(0.9, 0.98), weight_decay=1.0)
    x = torch.zeros(len(pairs), 2 * p)
    x[torch.arange(len(pairs)), a] = 1
    x[torch.arange(len(pairs)), p + b] = 1

    def step():
        optimizer.zero_grad()
        z = x @ w1 if dense else w1[a] + w1[p + b]
        loss = torch.nn.functional.cross_entropy((z * z) @ w2, y)
        loss.backward()
        torch.cat([q.grad.flatten() for q in params]).numpy().copy()
        optimizer.step()

    return median_ms(step, min_seconds)


def xor(h, min_seconds):
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    model = torch.nn.Sequential(torch.nn.Linear(2, h), torch.nn.Tanh(), torch.nn.Linear(h, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)

    def step():
        optimizer.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)
        loss.backward()
        torch.cat([q.grad.flatten() for q in model.parameters()]).numpy().copy()
        optimizer.step()

    return median_ms(step, min_seconds)


def main():
    min_seconds = float(sys.argv[1])
    widths = [int(w) for w in sys.argv[2:]]
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "dense": {}, "embed": {}, "xor": {}}
    for h in widths:
        result["dense"][h] = modular_addition(h, True, min_seconds)
        result["embed"][h] = modular_addition(h, False, min_seconds)
        result["xor"][h] = xor(h, min_seconds)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
