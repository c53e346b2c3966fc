/**
 * Help texts and option names of `grokking-fss analyze` and `grokking-fss export` (a light module:
 * main.ts reads it at start-up without loading either command).
 */

/** Value-taking options of `analyze` (its directory is the one positional argument). */
export const ANALYZE_OPTIONS = [
  'profile',
  'topology',
  'observable',
  'onset',
  'nulls',
  'quantity',
  'min-scales',
  'bootstrap',
  'batch-values',
  'json',
  'figures',
  'store',
] as const;
export const ANALYZE_SWITCHES = ['help'] as const;

export const ANALYZE_USAGE = `usage: grokking-fss analyze <dir> [options]

Runs the probe and the finite-size scaling on runs trained elsewhere (PyTorch, JAX, …): <dir>
holds one .npz (np.savez) or .safetensors file per run with its gradient snapshots 'grads'
[T, P], 'epochs' [T] and optionally 'train_acc' / 'test_acc' with 'acc_epochs', 'seed',
'n_params', 'params', 'layout' (see docs/exchange-format.md). Runs are grouped into scales by P.
Every file is checked before any work; a refused directory leaves nothing written. Prints D
(over all snapshots, and before / after each run's onset when accuracies are given), the permuted
and Gaussian nulls and the crossing of D = 1.

options:
  --profile <smoke|quick|paper>   the analysis plan: bootstrap size, graph seeds (default: GROKFSS_PROFILE or quick)
  --topology <name>               graph of the probe: ba, erdos-renyi, watts-strogatz, ring, regular,
                                  lattice2d, network (needs 'layout' in every file) (default: ba, m = 3)
  --observable <S_total|s_max>    the observable of the printed table and the figures (the JSON has both) (default: S_total)
  --onset <auto|train|test|none>  the onset of the pre / post split; auto: test accuracy if every run has it,
                                  else train accuracy if every run has it, else none (default: auto)
  --nulls <list|none>             null models probed alongside: permuted, gaussian, student-t, matched
                                  (default: permuted,gaussian)
  --quantity <gradient|parameter> probe 'grads' or 'params' (default: gradient)
  --min-scales <n>                refuse directories with fewer scales (default: 3; at least 2)
  --bootstrap <n>                 bootstrap replicates of every CI (default: the profile's)
  --batch-values <n>              snapshot values read and probed at once; bounds memory (default: 33554432)
  --json <file>                   write the summary as JSON (runs, scales, D per observable and phase with CIs, …)
  --figures <dir>                 write D(t) and the scaling fits as SVG and PNG (needs Chromium)
  --store <dir>                   store root of the probe cache (default: GROKFSS_DATA or data/store)
  --help                          print this help`;

/** Value-taking options of `export` besides the sweep options. */
export const EXPORT_OPTIONS = ['format', 'out', 'store'] as const;
export const EXPORT_SWITCHES = ['force', 'help'] as const;

export const EXPORT_USAGE = `usage: grokking-fss export --task <xor|sparse-parity|modular-addition> --out <dir> [options]

Writes every run of a stored sweep in the exchange format (one file per run, see
docs/exchange-format.md), e.g. as an example directory for \`grokking-fss analyze\` or to open the
gradients in numpy. The runs must be in the store (\`grokking-fss train\` with the same options).

options:
  --task <xor|sparse-parity|modular-addition>
  --profile <smoke|quick|paper>   budgets (default: GROKFSS_PROFILE or quick)
  --scales, --seeds, --epochs, --snapshots, --p, --train-fraction
                                  the overrides of \`grokking-fss train\`
  --format <npz|safetensors>      container (default: npz)
  --out <dir>                     where to write (created if missing)
  --store <dir>                   store root (default: GROKFSS_DATA or data/store)
  --force                         replace files whose content differs, allow other run files in <dir>
  --help                          print this help`;
