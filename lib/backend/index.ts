/**
 * TensorFlow.js backend selection.
 *
 * Order of preference: the native `tensorflow` backend (package @tensorflow/tfjs-node, an
 * optional peer dependency that installs only on machines that can download libtensorflow),
 * then `wasm` (ships inside @tensorflow/tfjs-backend-wasm; SIMD, single thread), then the
 * pure-JavaScript `cpu` backend. `GROKFSS_BACKEND=tensorflow|wasm|cpu` forces one.
 */
import * as tf from '@tensorflow/tfjs';
import { checkChoice } from '../util/errors';

export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What {@link initBackend} chose and why. */
export interface BackendReport {
  /** The active tfjs backend. */
  name: BackendName;
  /** One sentence: forced by the environment, or which preferred backends were unavailable. */
  reason: string;
  /** Backends tried before the active one, with the error each gave. */
  unavailable: Array<{ name: BackendName; error: string }>;
  /** tfjs version string. */
  tfjsVersion: string;
}

let activeReport: BackendReport | null = null;
let pending: Promise<BackendReport> | null = null;

/** Loads @tensorflow/tfjs-node if it is really installed (danfojs-node's alias does not count). */
function loadNativeBackend(): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const nodePackage = require('@tensorflow/tfjs-node/package.json') as { name: string };
  if (nodePackage.name !== '@tensorflow/tfjs-node') {
    throw new Error(
      `node_modules/@tensorflow/tfjs-node is ${nodePackage.name} (an alias installed for danfojs-node), not the native backend; ` +
        'install it with `npm install @tensorflow/tfjs-node@4.22.0` on a machine with internet access',
    );
  }
  require('@tensorflow/tfjs-node');
  if (tf.findBackendFactory('tensorflow') == null) throw new Error('@tensorflow/tfjs-node loaded but registered no backend');
}

async function tryBackend(name: BackendName): Promise<void> {
  if (name === 'tensorflow') loadNativeBackend();
  if (name === 'wasm') require('@tensorflow/tfjs-backend-wasm');
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
  if (name === 'cpu') {
    // The cpu backend prints a "you are running TensorFlow.js in Node.js" banner on first use.
    (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  }
}

/**
 * Chooses and activates the backend once per process; later calls return the same report.
 *
 * @param forced  a backend name, or undefined to read `GROKFSS_BACKEND` (unset = automatic).
 * @throws InvalidOptionError for an unknown name; Error if a forced backend cannot start.
 */
export async function initBackend(forced: string | undefined = process.env.GROKFSS_BACKEND): Promise<BackendReport> {
  if (activeReport) return activeReport;
  if (pending) return pending;
  pending = (async () => {
    const requested = forced === undefined || forced === '' ? undefined : checkChoice('GROKFSS_BACKEND', forced, BACKEND_NAMES);
    const unavailable: BackendReport['unavailable'] = [];
    const candidates: BackendName[] = requested ? [requested] : [...BACKEND_NAMES];
    for (const name of candidates) {
      try {
        await tryBackend(name);
        const reason = requested
          ? `forced by GROKFSS_BACKEND=${requested}`
          : unavailable.length === 0
            ? 'first choice (native TensorFlow) loaded'
            : `automatic: ${unavailable.map((u) => `${u.name} unavailable`).join(', ')}`;
        activeReport = { name, reason, unavailable, tfjsVersion: tf.version.tfjs };
        return activeReport;
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        if (requested) throw new Error(`GROKFSS_BACKEND=${requested} was requested but cannot start: ${message}`);
        unavailable.push({ name, error: message });
      }
    }
    throw new Error(`no tfjs backend could start: ${unavailable.map((u) => `${u.name}: ${u.error}`).join('; ')}`);
  })();
  try {
    return await pending;
  } finally {
    pending = null;
  }
}

/** The report of the active backend, or null before {@link initBackend} has run. */
export function backendReport(): BackendReport | null {
  return activeReport;
}

export { tf };
