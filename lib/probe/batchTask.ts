import { Graph } from '../graphs/graph';
import { GraphSpec, makeGraph } from '../graphs/makeGraph';
import { NetworkLayout } from '../graphs/network';
import { ProbeOptions } from './options';
import { sealGraph } from './relaxKernel';
import { runProbe } from './runProbe';

/** One probe of a batch: a snapshot's values on the graph of one graph seed. */
export interface BatchTask {
  /** Position of the result in the batch output. */
  id: number;
  values: Float64Array;
  graphSeed: number;
  /** Key of the layout in the graph cache ('' for topologies that do not use one). */
  layoutKey: string;
  /** The layout itself; may be omitted when the receiver already holds `layoutKey`. */
  layout?: NetworkLayout;
}

/** What a batch keeps of one probe (numbers plus, optionally, the avalanche lists). */
export interface BatchTaskResult {
  id: number;
  n: number;
  threshold: number;
  avalancheCount: number;
  sMax: number;
  totalTopplings: number;
  totalDissipated: number;
  truncated: boolean;
  sizes: Int32Array | null;
  areas: Int32Array | null;
  durations: Int32Array | null;
}

/**
 * Builds graphs on demand and keeps them for reuse: by (n, graphSeed) for generated
 * topologies, by (layoutKey, n) for 'network'. Shared by the in-process path and the workers,
 * so both compute exactly the same thing.
 */
export class GraphCache {
  private readonly graphs = new Map<string, Graph>();
  private readonly layouts = new Map<string, NetworkLayout>();
  constructor(private readonly topology: GraphSpec) {}

  graphFor(task: BatchTask): Graph {
    const n = task.values.length;
    const isNetwork = typeof this.topology === 'string' ? this.topology === 'network' : this.topology.kind === 'network';
    const key = isNetwork ? `layout:${task.layoutKey}:${n}` : `${n}:${task.graphSeed}`;
    let graph = this.graphs.get(key);
    if (!graph) {
      let spec = this.topology;
      if (isNetwork) {
        if (task.layout) this.layouts.set(task.layoutKey, task.layout);
        const layout = this.layouts.get(task.layoutKey);
        const base = typeof spec === 'string' ? { kind: 'network' as const } : (spec as Extract<GraphSpec, { kind: 'network' }>);
        spec = { ...base, layout: base.layout ?? layout };
      }
      graph = makeGraph(spec, n, task.graphSeed);
      sealGraph(graph); // held here only: the probe may keep its copy between tasks
      this.graphs.set(key, graph);
    }
    return graph;
  }
}

/** Runs one task. */
export function runBatchTask(task: BatchTask, cache: GraphCache, options: ProbeOptions, keepAvalanches: boolean): BatchTaskResult {
  const r = runProbe(task.values, cache.graphFor(task), options);
  return {
    id: task.id,
    n: r.n,
    threshold: r.threshold,
    avalancheCount: r.avalancheCount,
    sMax: r.sMax,
    totalTopplings: r.totalTopplings,
    totalDissipated: r.totalDissipated,
    truncated: r.truncated,
    sizes: keepAvalanches ? r.sizes : null,
    areas: keepAvalanches ? r.areas : null,
    durations: keepAvalanches ? r.durations : null,
  };
}
