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
