import * as fs from 'node:fs';

/** Absolute path of plotly.js's minified bundle (package plotly.js-dist-min). */
export function plotlyBundlePath(): string {
  return require.resolve('plotly.js-dist-min/plotly.min.js');
}

/** Version of the bundled plotly.js. */
export function plotlyVersion(): string {
  return (require('plotly.js-dist-min/package.json') as { version: string }).version;
}

let inlineBundle: string | null = null;

/**
 * The plotly.js bundle as text that is safe inside an HTML `<script>` element: `</script` and
 * `<!--` sequences (which would end or confuse the element) are written as escapes that mean the
 * same inside JavaScript strings and regular expressions. Read once and cached (4.8 MB).
 */
export function plotlyBundleForScriptTag(): string {
  if (inlineBundle === null) {
    inlineBundle = fs
      .readFileSync(plotlyBundlePath(), 'utf8')
      .replace(/<\/script/gi, '<\\/script')
      .replace(/<!--/g, '<\\x21--');
  }
  return inlineBundle;
}

/** JSON that can sit inside an HTML `<script>` element (no `<`, no line separators). */
export function jsonForScriptTag(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
