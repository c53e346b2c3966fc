#!/usr/bin/python3
"""Compiled (numba) reference of the TDU-OFC avalanche probe, for `npm run bench -- probe`.

Written for this benchmark from the probe rules (lib/probe/runProbe.ts doc comment, the
science notes), not from the TypeScript code:
 1. loads F_i = |x_i| ('abs') or x_i^2 ('square');
 2. theta = numpy 'linear' quantile q of F: virtual index h = (N - 1) q, the two order
    statistics around it (np.partition, O(N)) and numpy's _lerp; theta must be > 0;
 3. seeds = nodes with F_i > theta by descending F_i, ties to the lower index (stable sort);
 4. each seed still above theta starts one avalanche, relaxed with a FIFO queue: pop i, e = F_i,
    F_i = 0, one toppling; every neighbour j (CSR order = ascending) of a node of degree k > 0
    gets F_j += (alpha e) / k and is queued if F_j > theta and not already queued;
    e - k (alpha e) / k is dissipated (all of e at degree 0);
 5. size = topplings, area = distinct nodes toppled, duration = max generation + 1;
 6. when one avalanche reaches max_topplings the whole probe stops (truncated).
Sums run left to right in double precision, so every output is comparable bit for bit.

Protocol (line based, driven by bench/probe.bench.ts over stdin/stdout):
  load DIR   read DIR/{offsets.i32, neighbours.i32, values.f64, params.json}, run the probe once
             (compiling on the first call), write DIR/{sizes,areas,durations,seeds}.i32,
             DIR/{loads,scalars}.f64 and DIR/result.json; answer "ready <compile+first run ms>"
  run        probe the loaded input once more; answer "ms <wall ms> <process CPU ms>" of the call
  quit
"""
import json
import os
import sys
import time

import numpy as np
from numba import njit


@njit(cache=False)
def probe(values, offsets, neighbours, square, q, alpha, max_topplings):
    n = values.shape[0]
    # 1. Loads.
    loads = np.empty(n, dtype=np.float64)
    for i in range(n):
        x = values[i]
        loads[i] = x * x if square else abs(x)
    initial_load = 0.0
    for i in range(n):
        initial_load += loads[i]
    # 2. Threshold, numpy 'linear'.
    h = (n - 1) * q
    lower = int(np.floor(h))
    if lower > n - 1:
        lower = n - 1
    upper = lower + 1 if lower + 1 <= n - 1 else n - 1
    t = h - lower
    part = np.partition(loads, lower)
    a = part[lower]
    b = a
    if upper != lower:
        b = part[lower + 1]
        for p in range(lower + 2, n):
            if part[p] < b:
                b = part[p]
    diff = b - a
    theta = b - diff * (1.0 - t) if t >= 0.5 else a + diff * t
    # 3. Seeds by descending load, ties to the lower index (mergesort is stable).
    candidates = np.nonzero(loads > theta)[0]
    order = np.argsort(-loads[candidates], kind='mergesort')
    seeds = candidates[order]
    # 4-6. Relaxation.
    count = seeds.shape[0]
    sizes = np.zeros(count, dtype=np.int32)
    areas = np.zeros(count, dtype=np.int32)
    durations = np.zeros(count, dtype=np.int32)
    seed_nodes = np.zeros(count, dtype=np.int32)
    queue = np.empty(n, dtype=np.int32)
    generation = np.full(n, -1, dtype=np.int32)  # generation while queued, -1 otherwise
    last_avalanche = np.zeros(n, dtype=np.int32)  # 1 + index of the last avalanche that toppled i
    avalanches = 0
    total_topplings = 0
    total_dissipated = 0.0
    load_transfers = 0
    truncated = False
    for s in range(count):
        seed = seeds[s]
        if not loads[seed] > theta:
            continue
        stamp = avalanches + 1
        head = 0
        tail = 0
        queue[tail] = seed
        tail += 1
        if tail == n:
            tail = 0
        queued = 1
        generation[seed] = 0
        size = 0
        area = 0
        max_generation = 0
        while queued > 0:
            i = queue[head]
            head += 1
            if head == n:
                head = 0
            queued -= 1
            g = generation[i]
            generation[i] = -1
            e = loads[i]
            loads[i] = 0.0
            size += 1
            if last_avalanche[i] != stamp:
                last_avalanche[i] = stamp
                area += 1
            if g > max_generation:
                max_generation = g
            start = offsets[i]
            end = offsets[i + 1]
            k = end - start
            if k > 0:
                share = (alpha * e) / k
                total_dissipated += e - k * share
                load_transfers += k
                for p in range(start, end):
                    j = neighbours[p]
                    f = loads[j] + share
                    loads[j] = f
                    if f > theta and generation[j] < 0:
                        generation[j] = g + 1
                        queue[tail] = j
                        tail += 1
                        if tail == n:
                            tail = 0
                        queued += 1
            else:
                total_dissipated += e
            if size >= max_topplings:
                truncated = True
                break
        sizes[avalanches] = size
        areas[avalanches] = area
        durations[avalanches] = max_generation + 1
        seed_nodes[avalanches] = seed
        avalanches += 1
        total_topplings += size
        if truncated:
            break
    return (theta, initial_load, sizes[:avalanches], areas[:avalanches], durations[:avalanches], seed_nodes[:avalanches],
            total_topplings, total_dissipated, truncated, load_transfers, loads)


def main():
    current = None
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == 'quit':
            break
        if command[0] == 'load':
            folder = command[1]
            params = json.load(open(os.path.join(folder, 'params.json')))
            current = (np.fromfile(os.path.join(folder, 'values.f64'), dtype='<f8'),
                       np.fromfile(os.path.join(folder, 'offsets.i32'), dtype='<i4'),
                       np.fromfile(os.path.join(folder, 'neighbours.i32'), dtype='<i4'),
                       params['transform'] == 'square', float(params['thresholdQuantile']), float(params['alpha']),
                       int(params['maxTopplings']))
            start = time.perf_counter()
            r = probe(*current)
            elapsed = (time.perf_counter() - start) * 1e3
            theta, initial, sizes, areas, durations, seeds, total, dissipated, truncated, transfers, loads = r
            for name, array in (('sizes.i32', sizes), ('areas.i32', areas), ('durations.i32', durations), ('seeds.i32', seeds)):
                array.astype('<i4').tofile(os.path.join(folder, name))
            loads.astype('<f8').tofile(os.path.join(folder, 'loads.f64'))
            # Doubles in binary (threshold, initial load, dissipated) so that no bit is lost.
            np.array([theta, initial, dissipated], dtype='<f8').tofile(os.path.join(folder, 'scalars.f64'))
            json.dump(dict(totalTopplings=int(total), truncated=bool(truncated), loadTransfers=int(transfers)),
                      open(os.path.join(folder, 'result.json'), 'w'))
            print(f'ready {elapsed:.3f}', flush=True)
        elif command[0] == 'run':
            start = time.perf_counter()
            start_cpu = time.process_time()
            probe(*current)
            cpu = time.process_time() - start_cpu
            print(f'ms {(time.perf_counter() - start) * 1e3:.4f} {cpu * 1e3:.4f}', flush=True)
        else:
            print(f'error unknown command {command[0]}', flush=True)


if __name__ == '__main__':
    main()
