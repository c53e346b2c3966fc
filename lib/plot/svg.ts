import { createHash } from 'node:crypto';

/**
 * Makes plotly's SVG output reproducible and physically sized:
 * - plotly names clip paths and defs after a random per-plot uid; it is replaced by one derived
 *   from `name` (so the same figure exported under the same name gives identical bytes, and two
 *   different figures inlined in one document keep distinct ids);
 * - the root `width`/`height` become inches (the viewBox keeps the CSS-pixel coordinates), so
 *   LaTeX, Inkscape and browsers show it at the column width.
 */
export function finalizePlotlySvg(svg: string, name: string, widthIn: number, heightIn: number): string {
  if (!svg.startsWith('<svg')) throw new Error('plotly did not return an SVG document');
  const uid = /<defs id="defs-([0-9a-f]+)"/.exec(svg)?.[1];
  let out = svg;
  if (uid) {
    const stable = createHash('sha256').update(name).digest('hex').slice(0, 6);
    // Only where the uid is part of a name (after a letter or "defs-"), never inside a number.
    out = out.replace(new RegExp(`(?<=[A-Za-z]|defs-)${uid}`, 'g'), stable);
  }
  const rootEnd = out.indexOf('>');
  let root = out.slice(0, rootEnd);
  const widthPx = /\swidth="([\d.]+)"/.exec(root)?.[1];
  const heightPx = /\sheight="([\d.]+)"/.exec(root)?.[1];
  if (!/\sviewBox=/.test(root) && widthPx && heightPx) root += ` viewBox="0 0 ${widthPx} ${heightPx}"`;
  root = root.replace(/\swidth="[\d.]+"/, ` width="${widthIn}in"`).replace(/\sheight="[\d.]+"/, ` height="${heightIn}in"`);
  return `${root}${out.slice(rootEnd)}`;
}
