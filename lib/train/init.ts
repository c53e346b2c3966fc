import { Random } from '../util/random';
import { LayoutSpec, parameterCount } from './layout';

/**
 * Initial parameters in canonical order (see layout.ts): every weight and bias of layer l is
 * uniform in [−b, b) with b = initScale / √fanIn_l (PyTorch's nn.Linear default for both
 * weights and biases, times `initScale`). Drawn from our own seeded generator, so the initial
 * state does not depend on the tfjs backend.
 */
export function initParameters(spec: LayoutSpec, initScale: number, seed: number): Float64Array {
  const theta = new Float64Array(parameterCount(spec));
  const random = new Random(seed);
  let p = 0;
  for (let l = 0; l + 1 < spec.layerSizes.length; l++) {
    const fanIn = spec.layerSizes[l];
    const count = fanIn * spec.layerSizes[l + 1] + (spec.bias ? spec.layerSizes[l + 1] : 0);
    const bound = initScale / Math.sqrt(fanIn);
    for (let i = 0; i < count; i++) theta[p++] = bound * (2 * random.uniform() - 1);
  }
  return theta;
}
