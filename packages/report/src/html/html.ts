/**
 * The one way the reports build HTML from values. `html` is a template tag: every `${}` in it is
 * escaped (escapeHtml) unless it is itself `Html` (made by `html`, `joinHtml`, `trusted` or
 * `scriptJsonHtml`), so a value read from a file (a strategy id, a warning, a label, a
 * parameter) can never become markup, and a new field cannot forget to be escaped: a plain
 * string is text. A unit test (html.test.ts) checks that no module of the report builds markup
 * with an untagged template or `+`.
 */
import { escapeHtml, scriptJson } from './escape';

let make: (text: string) => Html;

/** A piece of HTML that is safe to insert as is: only this module makes one (its constructor is private). */
export class Html {
  static {
    make = (text) => new Html(text);
  }
  private constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What a `${}` of `html` may be: markup made here, text (escaped), a number, or a list of them (concatenated). */
export type HtmlValue = Html | string | number | readonly HtmlValue[];

function render(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  if (typeof v === 'string') return escapeHtml(v);
  // Numbers, and anything a caller passed around the types: text, escaped.
  return escapeHtml(String(v));
}

/** Inside a tag (after its `<`, before its `>`) and right after `=`: an unquoted attribute value. */
function unquotedAttribute(out: string): boolean {
  return out.lastIndexOf('<') > out.lastIndexOf('>') && /=\s*$/.test(out);
}

/** Inside a <script> or <style> element, whose text the browser does not unescape. */
function rawTextElement(out: string): boolean {
  return out.lastIndexOf('<script') > out.lastIndexOf('</script') || out.lastIndexOf('<style') > out.lastIndexOf('</style');
}

/**
 * `html\`<td title="${name}">${value}</td>\``: the literal parts as written, every value escaped.
 * Refused, because escaping is not enough there: a value in an unquoted attribute, and text
 * (anything but Html) inside <script> or <style>.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (unquotedAttribute(out)) throw new Error(`html: a value in an unquoted attribute (after "${out.slice(-30)}"): quote it`);
    if (!(v instanceof Html) && rawTextElement(out)) throw new Error('html: text inside <script> or <style>: use scriptJsonHtml or a trusted constant');
    out += render(v) + strings[i + 1]!;
  }
  return make(out);
}

/** Pieces joined with a separator (itself escaped unless it is Html). */
export function joinHtml(items: readonly HtmlValue[], separator: HtmlValue = ''): Html {
  const sep = render(separator);
  return make(items.map(render).join(sep));
}

/**
 * A constant of the source (a stylesheet, a script) taken as HTML: a template tag that refuses
 * any `${}`, so it can only ever hold text written in the code.
 */
export function trusted(strings: TemplateStringsArray, ...values: readonly never[]): Html {
  if (values.length > 0 || strings.length !== 1) throw new Error('trusted: a constant only, no interpolated values');
  return make(strings[0]!);
}

/** A value as JSON inside a <script> element (see scriptJson: no `</script>`, `<!--`, U+2028 or U+2029 can appear). */
export function scriptJsonHtml(value: unknown): Html {
  return make(scriptJson(value));
}
