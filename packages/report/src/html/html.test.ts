import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { escapeHtml, scriptJson } from './escape';
import { bucketSize } from '../charts/decimate';
import { Html, html, joinHtml, scriptJsonHtml, trusted } from './html';
import { samplingNote } from './page-header';

describe('html template', () => {
  it('escapes every value that is not itself Html, in text and in quoted attributes', () => {
    const v = `"><img src=x onerror=alert(1)>&'`;
    expect(html`<p title="${v}">${v}</p>`.text).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;&#39;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;&#39;</p>',
    );
    expect(html`<b>${html`<i>${'<x>'}</i>`}</b>`.text).toBe('<b><i>&lt;x&gt;</i></b>');
    expect(html`<ul>${['<a>', html`<li>b</li>`, 3]}</ul>`.text).toBe('<ul>&lt;a&gt;<li>b</li>3</ul>');
    expect(joinHtml(['a<', html`<br>`], ' & ').text).toBe('a&lt; &amp; <br>');
  });

  it('turns control characters into U+FFFD, keeps tabs and line breaks', () => {
    expect(escapeHtml('a\u0000b\u0007c\u001bd\u007fe\u0085f\tg\nh\ri')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\tg\nh\ri');
  });

  it('refuses a value in an unquoted attribute and text inside <script> or <style>', () => {
    expect(() => html`<td class=${'x onmouseover=alert(1)'}>`).toThrow('unquoted attribute');
    expect(() => html`<script>var a = ${'1'};</script>`).toThrow('inside <script> or <style>');
    expect(() => html`<style>${'body{}'}</style>`).toThrow('inside <script> or <style>');
    // `=` in text is text: "k=v" in a parameter list.
    expect(html`<code>${'k'}=${'v'}</code>`.text).toBe('<code>k=v</code>');
    expect(html`<script>${scriptJsonHtml({ a: '</script>' })}</script>`.text).toBe('<script>{"a":"\\u003c/script\\u003e"}</script>');
  });

  it('trusted takes constants only, and Html cannot be made from a string any other way', () => {
    expect(trusted`<style>a { b: "c" }</style>`.text).toBe('<style>a { b: "c" }</style>');
    const t = trusted as unknown as (s: TemplateStringsArray, ...v: unknown[]) => Html;
    expect(() => t(Object.assign(['<a>', '</a>'], { raw: ['<a>', '</a>'] }), 'x')).toThrow('a constant only');
    expect(Object.getOwnPropertyNames(Html).filter((n) => !['length', 'name', 'prototype'].includes(n))).toEqual([]);
  });
});

describe('scriptJson', () => {
  it('escapes <, >, &, U+2028 and U+2029 so no string can end the <script> element, and parses back the same', () => {
    const value = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'a & b', d: 'line\u2028sep\u2029par', e: '\u0000\u001b' };
    const json = scriptJson(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029\u0000\u001b]/);
    expect(JSON.parse(json)).toEqual(value);
    // Valid JavaScript too (U+2028 was not, before ES2019).
    expect(new Function(`return ${json};`)()).toEqual(value);
    expect(scriptJson({ plain: 1 })).toBe('{"plain":1}');
  });
});

describe('samplingNote', () => {
  /** The blocks pointsToDraw cuts `rows` into: from the first row, `bucketSize(rows)` at a time. */
  const blocksDrawn = (rows: number) => {
    let n = 0;
    for (let a = 0; a < rows; a += bucketSize(rows)) n++;
    return n;
  };

  it('says how many blocks the charts really draw, and how long the last is when it is shorter', () => {
    expect(samplingNote(1500, 'day').text).toBe('');
    const cases: [number, string][] = [
      [100_000, 'in 500 blocks of 200 days:'],
      [1501, 'in 376 blocks of 4 days (the last of 1):'],
      [14_001, 'in 483 blocks of 29 days (the last of 23):'],
      [1_000_001, 'in 500 blocks of 2,001 days (the last of 1,502):'],
    ];
    for (const [rows, says] of cases) {
      const note = samplingNote(rows, 'day').text;
      expect({ rows, says: note.includes(`so the charts draw them ${says}`), blocks: says.includes(`in ${blocksDrawn(rows).toLocaleString('en-US')} blocks`) }).toEqual({
        rows,
        says: true,
        blocks: true,
      });
    }
  });
});

/**
 * The rule, checked on the source: in the modules that build the report pages and the study
 * page (@backtest/study's figures), markup is made only with the `html` tag (or `trusted` for
 * constants). A template literal with `${}` that contains a tag, or `+` joining a string with a
 * tag to something else, is a value that could skip escaping; an entity or a `\u003c` written
 * out is an escaper of its own, beside the one in escape.ts.
 */
describe('every page is built through the html tag', () => {
  const packages = path.join(__dirname, '..', '..', '..');
  const dirs = ['report/src/html', 'report/src/compare', 'study/src/figures'];
  const files = dirs
    .flatMap((d) => readdirSync(path.join(packages, d)).map((f) => path.join(packages, d, f)))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith(`${path.sep}html.ts`) && !f.endsWith(`${path.sep}escape.ts`));
  const markup = /<\/?[a-z][a-z0-9-]*[\s>/]|<!/i;
  const ownEscaping = /&(?:amp|lt|gt|quot|#0*39|apos);|\\u003c/i;

  it('checks the study page too', () => {
    expect(files.map((f) => path.relative(packages, f))).toEqual(
      expect.arrayContaining(['study/src/figures/study-page.ts', 'study/src/figures/architecture-svg.ts', 'report/src/html/report.ts']),
    );
  });

  it.each(files.map((f) => [path.relative(packages, f), f]))('%s builds markup only with html``', (_, file) => {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const offences: string[] = [];
    const where = (n: ts.Node) => `line ${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText().slice(0, 60)}`;
    const isTagged = (n: ts.Node) => ts.isTaggedTemplateExpression(n.parent) && ['html', 'trusted'].includes(n.parent.tag.getText());
    const text = (n: ts.Node) => (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) ? n.text : ts.isTemplateExpression(n) ? n.getText() : '');
    const visit = (n: ts.Node) => {
      // Templates without ${} (the stylesheet, the render script) are constants and need no tag.
      if (ts.isTemplateExpression(n) && !isTagged(n) && markup.test(n.getText())) offences.push(where(n));
      if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isRegularExpressionLiteral(n)) && ownEscaping.test(n.getText())) offences.push(where(n));
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const sides = [n.left, n.right];
        if (sides.some((s) => markup.test(text(s))) && sides.some((s) => !ts.isStringLiteral(s) && !ts.isNoSubstitutionTemplateLiteral(s))) offences.push(where(n));
      }
      ts.forEachChild(n, visit);
    };
    visit(source);
    expect(offences).toEqual([]);
  });
});
