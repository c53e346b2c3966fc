/**
 * Normalises an SVG for snapshot comparison (the approach of Observable Plot's tests): numbers
 * rounded to one decimal, generated ids renamed in order of appearance, one element per line.
 * What remains is the structure, the text and the geometry at 0.1 px.
 */
export function normalizeSvg(svg: string): string {
  const ids = new Map<string, string>();
  const rename = (id: string) => {
    if (!ids.has(id)) ids.set(id, `id${ids.size}`);
    return ids.get(id)!;
  };
  let out = svg.replace(/\sid="([^"]+)"/g, (_m, id: string) => ` id="${rename(id)}"`);
  out = out.replace(/url\(['"]?#([^'")]+)['"]?\)/g, (_m, id: string) => `url(#${rename(id)})`);
  out = out.replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${rename(id)}"`);
  out = out.replace(/-?\d*\.\d+(?:e[-+]?\d+)?/gi, (number) => {
    const rounded = Math.round(Number(number) * 10) / 10;
    return String(Object.is(rounded, -0) ? 0 : rounded);
  });
  return out.replace(/></g, '>\n<').trim() + '\n';
}

/** Minimal well-formedness check: every element closed in order, one root. Returns problems. */
export function xmlProblems(xml: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  const stripped = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  let match: RegExpExecArray | null;
  let covered = 0;
  while ((match = tag.exec(stripped))) {
    const between = stripped.slice(covered, match.index);
    if (between.includes('<')) problems.push(`unparsable markup near ${JSON.stringify(between.slice(between.indexOf('<'), between.indexOf('<') + 40))}`);
    covered = tag.lastIndex;
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
