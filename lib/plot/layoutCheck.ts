/**
 * Layout check of a drawn plotly figure, run inside the browser that drew it (headless Chromium
 * for exports and notebook static images, the Notebook 6 page in scripts/screenshot-notebook.js).
 * It measures what a reader sees, so it is the test of "titles clear of everything, legends clear
 * of the data, one font family at readable sizes".
 */

/** Options of {@link layoutProblemsInPage}. */
export interface LayoutCheckOptions {
  /** Treat plotly's modebar as an element that titles must not touch [true]. */
  modebar?: boolean;
  /** Smallest and largest allowed font size of any text, in points (1 pt = 4/3 CSS px) [7, 9]. */
  minFontPt?: number;
  maxFontPt?: number;
  /**
   * Check font sizes against [minFontPt, maxFontPt] [true]. False for a figure not in a paper
   * style (plotly's default 12–17 px text is meant for a screen, not a printed column).
   */
  fontSizes?: boolean;
  /** Overlaps smaller than this, in CSS px along either side, are ignored (anti-aliasing, ascenders) [1]. */
  tolerancePx?: number;
}

/** The default font-size range of {@link LayoutCheckOptions}, points: 7–9 pt at the printed size. */
export const LAYOUT_FONT_RANGE_PT: readonly [number, number] = [7, 9];

/**
 * Problems of the layout of the plotly graph `gd` (a div on which Plotly.newPlot has finished),
 * as sentences; [] when there are none. Checked, in page coordinates (getBoundingClientRect):
 *   1. the figure title does not overlap an annotation (panel titles and letters), an axis title,
 *      a tick label, the legend or the modebar;
 *   2. annotations do not overlap each other, axis titles, tick labels, the legend or the modebar;
 *      axis titles do not overlap each other, the legend or other axes' tick labels;
 *   3. the legend and the annotations cover no data: no marker centre and no point of a drawn
 *      line (sampled every 4 px along each path) lies inside their boxes, and no bar overlaps
 *      them (data outside its plot area is clipped, so it does not count);
 *   4. titles, annotations and the legend lie inside the figure;
 *   5. all text is in one font family, at sizes within [minFontPt, maxFontPt] (unless fontSizes is false).
 * This function is serialised into the page (Function.prototype.toString), so it must not use
 * anything from outside its body.
 */
export function layoutProblemsInPage(gd: any, options: LayoutCheckOptions = {}): string[] {
  const tolerance = options.tolerancePx ?? 1;
  const minPt = options.minFontPt ?? 7;
  const maxPt = options.maxFontPt ?? 9;
  const problems: string[] = [];
  type Box = { kind: string; name: string; left: number; top: number; right: number; bottom: number };
  const boxOf = (el: any, kind: string, name?: string): Box | null => {
    const r = el.getBoundingClientRect();
    if (!(r.width > 0.5 && r.height > 0.5)) return null;
    const text = String(el.textContent ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    return { kind, name: name ?? `${kind} "${text.length > 40 ? `${text.slice(0, 39)}…` : text}"`, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  };
  const collect = (selector: string, kind: string): Box[] =>
    Array.from(gd.querySelectorAll(selector) as ArrayLike<any>)
      .map((el) => boxOf(el, kind))
      .filter((b): b is Box => b !== null);
  const overlap = (a: Box, b: Box) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > tolerance && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > tolerance;

  const titles = collect('.infolayer .g-gtitle .gtitle', 'title');
  const annotations = collect('.infolayer .annotation .annotation-text-g', 'annotation');
  // Axis titles with their axis ('x', 'x2', 'y', …): text.xtitle, text.x2title, ….
  const axisTitles: Array<Box & { axis: string }> = [];
  for (const text of Array.from(gd.querySelectorAll('.infolayer text') as ArrayLike<any>)) {
    const match = /^([xy]\d*)title$/.exec(String(text.getAttribute('class') ?? ''));
    const box = match ? boxOf(text, 'axis title') : null;
    if (match && box) axisTitles.push({ ...box, axis: match[1] });
  }
  const tickLabels: Array<Box & { axis: string }> = [];
  for (const group of Array.from(gd.querySelectorAll('g.xaxislayer-above > g, g.yaxislayer-above > g') as ArrayLike<any>)) {
    const axis = String(group.getAttribute('class') ?? '').replace(/tick$/, '');
    for (const text of Array.from(group.querySelectorAll('text') as ArrayLike<any>)) {
      const box = boxOf(text, 'tick label');
      if (box) tickLabels.push({ ...box, axis });
    }
  }
  const legendEl = gd.querySelector('.infolayer .legend .bg');
  const legend = legendEl ? boxOf(legendEl, 'legend', 'the legend') : null;
  const modebarEl = options.modebar === false ? null : gd.querySelector('.modebar');
  const modebar = modebarEl && modebarEl.children.length ? boxOf(modebarEl, 'modebar', 'the modebar') : null;

  const report = (a: Box, b: Box) => problems.push(`${a.name} overlaps ${b.name}`);
  const check = (a: Box, others: Array<Box | null>) => {
    for (const b of others) if (b && b !== a && overlap(a, b)) report(a, b);
  };
  // 1 and 2: titles and annotations against everything else.
  for (const t of titles) check(t, [...annotations, ...axisTitles, ...tickLabels, legend, modebar]);
  annotations.forEach((a, i) => check(a, [...annotations.slice(i + 1), ...axisTitles, ...tickLabels, legend, modebar]));
  axisTitles.forEach((a, i) => {
    check(a, [...axisTitles.slice(i + 1), legend]);
    // An axis title sits next to its own tick labels by construction; other axes' labels must keep clear.
    check(
      a,
      tickLabels.filter((label) => label.axis !== a.axis),
    );
  });
  if (legend) for (const label of tickLabels) if (overlap(legend, label)) report(legend, label);

  // 3: data under the legend and under annotations, counted only where it is drawn (inside its
  // subplot's plot area: bars and lines may extend beyond it and are clipped there).
  const svgEl = gd.querySelector('svg.main-svg');
  if (svgEl) {
    const origin = svgEl.getBoundingClientRect();
    const plots = gd._fullLayout?._plots ?? {};
    const areaOf = (el: any): Box | null => {
      const subplot = el.closest('g.subplot');
      const id = subplot ? Array.from(subplot.classList as ArrayLike<string>).find((c) => c !== 'subplot') : undefined;
      const plot = id ? plots[id] : undefined;
      if (!plot) return null;
      const left = origin.left + plot.xaxis._offset;
      const top = origin.top + plot.yaxis._offset;
      return { kind: 'plot area', name: `plot area ${id}`, left, top, right: left + plot.xaxis._length, bottom: top + plot.yaxis._length };
    };
    const within = (b: Box, x: number, y: number) => x > b.left + tolerance && x < b.right - tolerance && y > b.top + tolerance && y < b.bottom - tolerance;
    // Where the data is drawn: marker centres, points along lines (every 4 px), bar boxes.
    const markers: Array<[number, number]> = [];
    for (const point of Array.from(gd.querySelectorAll('.cartesianlayer .trace.scatter .points path') as ArrayLike<any>)) {
      const r = point.getBoundingClientRect();
      const area = areaOf(point);
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (r.width > 0 && (!area || within(area, x, y))) markers.push([x, y]);
    }
    const lines: Array<Array<[number, number]>> = [];
    for (const line of Array.from(gd.querySelectorAll('.cartesianlayer .trace path.js-line') as ArrayLike<any>)) {
      if (typeof line.getTotalLength !== 'function' || typeof line.getScreenCTM !== 'function') continue;
      const length = line.getTotalLength();
      const matrix = line.getScreenCTM();
      const area = areaOf(line);
      if (!matrix || !(length > 0)) continue;
      const steps = Math.min(2000, Math.ceil(length / 4));
      const points: Array<[number, number]> = [];
      for (let k = 0; k <= steps; k++) {
        const p = line.getPointAtLength((length * k) / steps);
        const x = matrix.a * p.x + matrix.c * p.y + matrix.e;
        const y = matrix.b * p.x + matrix.d * p.y + matrix.f;
        if (!area || within(area, x, y)) points.push([x, y]);
      }
      lines.push(points);
    }
    const bars: Box[] = [];
    for (const bar of Array.from(gd.querySelectorAll('.cartesianlayer .barlayer .point path') as ArrayLike<any>)) {
      const b = boxOf(bar, 'bar');
      const area = areaOf(bar);
      if (!b) continue;
      const drawn = area
        ? {
            ...b,
            left: Math.max(b.left, area.left),
            right: Math.min(b.right, area.right),
            top: Math.max(b.top, area.top),
            bottom: Math.min(b.bottom, area.bottom),
          }
        : b;
      if (drawn.right > drawn.left && drawn.bottom > drawn.top) bars.push(drawn);
    }
    const dataUnder = (box: Box) =>
      markers.filter(([x, y]) => within(box, x, y)).length +
      lines.filter((points) => points.some(([x, y]) => within(box, x, y))).length +
      bars.filter((b) => overlap(b, box)).length;
    for (const b of [legend, ...annotations]) {
      const covered = b ? dataUnder(b) : 0;
      if (b && covered > 0) problems.push(`${b.name} covers data (${covered} marker(s), line(s) or bar(s) under it)`);
    }
  }

  // 4: inside the figure.
  if (svgEl) {
    const figure = boxOf(svgEl, 'figure', 'the figure') as Box;
    for (const b of [...titles, ...annotations, ...axisTitles, legend]) {
      if (!b) continue;
      const out =
        figure.left - b.left > tolerance || b.right - figure.right > tolerance || figure.top - b.top > tolerance || b.bottom - figure.bottom > tolerance;
      if (out) problems.push(`${b.name} is cut off at the edge of the figure`);
    }
  }

  // 5: fonts (one example text per size, to find it).
  const families = new Set<string>();
  const sizes = new Map<number, string>();
  for (const text of Array.from(gd.querySelectorAll('svg.main-svg text') as ArrayLike<any>)) {
    const content = String(text.textContent ?? '').trim();
    if (!content) continue;
    const style = gd.ownerDocument.defaultView.getComputedStyle(text);
    families.add(
      String(style.fontFamily)
        .replace(/["']/g, '')
        .replace(/\s*,\s*/g, ', '),
    );
    const pt = Math.round(((parseFloat(style.fontSize) * 72) / 96) * 100) / 100;
    if (!sizes.has(pt)) sizes.set(pt, content.slice(0, 30));
  }
  if (families.size > 1) problems.push(`text uses ${families.size} font families: ${[...families].join(' | ')}`);
  for (const [pt, example] of options.fontSizes === false ? [] : [...sizes].sort((a, b) => a[0] - b[0])) {
    if (pt < minPt - 0.01 || pt > maxPt + 0.01) problems.push(`font size ${pt} pt (e.g. "${example}") outside ${minPt}–${maxPt} pt`);
  }
  return problems;
}

/** Layout keys changed by {@link fitLegendInPage}, to apply to the figure's own layout. */
export interface LegendFit {
  legend: Record<string, unknown>;
  margin: { b: number };
  height?: number;
}

/**
 * Puts a legend that sits below the plots (orientation 'h', y < 0) at the bottom of the figure
 * and makes the bottom margin hold the bottom axes' tick labels and titles, a gap and the legend
 * (measured in the drawn graph `gd`), so that the legend covers neither the data nor an axis title
 * whatever the figure's size. Plotly places such a legend at a fraction of the plot height below
 * the plots, which the x-axis title may also occupy: a fixed fraction fits one size only.
 *   1. measure the legend's height and how far the lowest tick label or axis title reaches below the plots;
 *   2. legend: yref 'container', y = 0, yanchor 'bottom' (flush with the figure's bottom edge);
 *   3. margin.b = that reach + gapPx + legend height + 2 px; with `growHeight` the figure grows by
 *      the change, otherwise the plot area gives it up;
 *   4. relayout, and return the changed keys (null when there is no such legend).
 * Serialised into the page like layoutProblemsInPage: self-contained.
 */
export async function fitLegendInPage(gd: any, options: { growHeight?: boolean; gapPx?: number } = {}): Promise<LegendFit | null> {
  const full = gd._fullLayout;
  const legendEl = gd.querySelector('.infolayer .legend .bg');
  if (!full || !legendEl || !full.legend || full.legend.orientation !== 'h' || !(full.legend.y < 0) || full.legend.yref === 'container') return null;
  const gap = options.gapPx ?? 6;
  const origin = gd.querySelector('svg.main-svg').getBoundingClientRect();
  const plotsBottom = origin.top + full._size.t + full._size.h;
  let reach = 0;
  for (const text of Array.from(gd.querySelectorAll('g.xaxislayer-above text, g.yaxislayer-above text, .infolayer text') as ArrayLike<any>)) {
    if (String(text.getAttribute('class') ?? '').startsWith('legend')) continue;
    const r = text.getBoundingClientRect();
    if (r.height > 0 && r.top >= plotsBottom - 2) reach = Math.max(reach, r.bottom - plotsBottom);
  }
  const legendHeight = legendEl.getBoundingClientRect().height;
  const bottom = Math.ceil(reach + gap + legendHeight + 2);
  const fit: LegendFit = { legend: { yref: 'container', y: 0, yanchor: 'bottom' }, margin: { b: bottom } };
  if (options.growHeight) fit.height = full.height + Math.max(0, bottom - full.margin.b);
  const g = globalThis as any;
  await g.Plotly.relayout(gd, {
    'legend.yref': 'container',
    'legend.y': 0,
    'legend.yanchor': 'bottom',
    'margin.b': bottom,
    ...(fit.height ? { height: fit.height } : {}),
  });
  return fit;
}

/**
 * Browser script that defines `window.__grokfssLayoutProblems(gd, options)` and
 * `window.__grokfssFitLegend(gd, options)`; add it to a page once (page.addScriptTag({ content }))
 * before calling them from page.evaluate.
 */
export function layoutCheckScript(): string {
  return `window.__grokfssLayoutProblems = ${layoutProblemsInPage.toString()};\nwindow.__grokfssFitLegend = ${fitLegendInPage.toString()};`;
}
