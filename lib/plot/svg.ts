import { createHash } from 'node:crypto';

/**
 * Makes plotly's SVG output reproducible and physically sized:
 * - plotly names clip paths and defs after a random per-plot uid; it is replaced by one derived
 *   from `name` (so the same figure exported under the same name gives identical bytes, and two
 *   different figures inlined in one document keep distinct ids);
 * - trace uids are set by the caller (exportFigures) for the same reason;
 * - the root `width`/`height` become inches when given (the viewBox keeps the CSS-pixel
 *   coordinates), so LaTeX, Inkscape and browsers show it at the column width; without them
 *   the CSS-pixel size stays (notebook images).
 */
export function finalizePlotlySvg(svg: string, name: string, widthIn?: number, heightIn?: number): string {
  if (!svg.startsWith('<svg')) throw new Error('plotly did not return an SVG document');
  const uid = /<defs id="defs-([0-9a-f]+)"/.exec(svg)?.[1];
  let out = svg;
  if (uid) {
    const stable = createHash('sha256').update(name).digest('hex').slice(0, 6);
    // Only where the uid is part of a name (after a letter or "defs-"), never inside a number.
    out = out.replace(new RegExp(`(?<=[A-Za-z]|defs-)${uid}`, 'g'), stable);
  }
  // Rebuild the root tag with a fixed attribute order (plotly's order varies between renders).
  const rootEnd = out.indexOf('>');
  const attributes = new Map<string, string>();
  for (const match of out.slice(0, rootEnd).matchAll(/\s([\w:-]+)="([^"]*)"/g)) attributes.set(match[1], match[2]);
  const widthPx = attributes.get('width');
  const heightPx = attributes.get('height');
  if (!attributes.has('viewBox') && widthPx && heightPx) attributes.set('viewBox', `0 0 ${widthPx} ${heightPx}`);
  if (widthIn !== undefined) attributes.set('width', `${widthIn}in`);
  if (heightIn !== undefined) attributes.set('height', `${heightIn}in`);
  if (attributes.get('style') === '') attributes.delete('style');
  const order = ['class', 'xmlns', 'xmlns:xlink', 'width', 'height', 'viewBox'];
  const names = [...order.filter((name) => attributes.has(name)), ...[...attributes.keys()].filter((name) => !order.includes(name)).sort()];
  const root = `<svg ${names.map((name) => `${name}="${attributes.get(name)}"`).join(' ')}`;
  return `${root}${out.slice(rootEnd)}`;
}
