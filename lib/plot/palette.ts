import { InvalidOptionError } from '../util/errors';

/**
 * Colour-blind-safe qualitative palette of Okabe & Ito (2008), "Color Universal Design".
 * Order: the usual one with black moved last, so the first colours are the most distinct on
 * white paper. Use it as plotly's `layout.colorway` (paperLayout does this).
 */
export const OKABE_ITO = [
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#009E73', // bluish green
  '#F0E442', // yellow
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#CC79A7', // reddish purple
  '#000000', // black
] as const;

/** The Okabe–Ito colours by name, for code that wants one specific colour. */
export const OKABE_ITO_NAMED = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  black: '#000000',
} as const;

/**
 * Colours of model scales, ordered from cold to warm so that neighbouring widths are told apart
 * and the order reads as a sequence (all eight Okabe–Ito colours; colour-blind safe).
 */
export const SCALE_COLOURS: readonly string[] = [
  OKABE_ITO_NAMED.black,
  OKABE_ITO_NAMED.blue,
  OKABE_ITO_NAMED.skyBlue,
  OKABE_ITO_NAMED.bluishGreen,
  OKABE_ITO_NAMED.yellow,
  OKABE_ITO_NAMED.orange,
  OKABE_ITO_NAMED.vermillion,
  OKABE_ITO_NAMED.reddishPurple,
];

/** The colour of the `index`-th scale (ascending N); wraps around after eight. */
export function scaleColour(index: number): string {
  return SCALE_COLOURS[((index % SCALE_COLOURS.length) + SCALE_COLOURS.length) % SCALE_COLOURS.length];
}

/**
 * `#RRGGBB` → `rgba(r,g,b,alpha)`, for translucent bands and light bars.
 * @throws InvalidOptionError for anything but a 6-digit hex colour
 */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new InvalidOptionError('colour', `expected #RRGGBB, got ${JSON.stringify(hex)}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new InvalidOptionError('alpha', `must be in [0, 1], got ${alpha}`);
  return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${alpha})`;
}
