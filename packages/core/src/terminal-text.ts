/**
 * Text from outside the program (a CSV's cells and header, a file name, a flag's value, a
 * plugin's error message) made safe to print on a terminal: control characters would otherwise
 * reach it raw (ESC starts colour and cursor sequences, OSC `\x1b]...\x07` sets titles and
 * links, CR and backspace overwrite what came before, bidi overrides reorder the line), and a
 * 3 MB header line would be echoed whole.
 *
 * `printable` is the one function: escapes and truncation. The others are its uses: a quoted
 * value, a list of quoted values, and the CLI's last line of defence over whole messages.
 */

/** Characters shown of one value from a file or flag before it is cut with an ellipsis. */
const SHOWN_CHARACTERS = 64;

/**
 * C0 controls (NUL..US, tab and line feed included), DEL, C1 controls (U+0080..U+009F, which
 * some terminals obey as ESC sequences), and the bidi embeddings, overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069) that reorder what a line shows.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The same, less the line feed: for whole messages whose lines the program itself separated. */
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** `\x1b` for C0 and DEL (`\t`, `\n`, `\r` by name), `\u009b` for C1, `\u202e` for bidi controls. */
function escapeOne(c: string): string {
  const short = SHORT[c];
  if (short) return short;
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** 3145728 -> "3,145,728": the same on every locale. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The first `max` UTF-16 units of `text`, not ending inside a surrogate pair. */
function head(text: string, max: number): string {
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/**
 * Untrusted text made safe to print: every control character escaped (`\x1b`, `\x00`, `\n`,
 * `\u009b`, `\u202e`), and text longer than `max` characters cut there with an ellipsis and its
 * length: `aaaa… (3,145,728 characters)`. Text that needs neither comes back unchanged.
 */
export function printable(text: string, max: number = SHOWN_CHARACTERS): string {
  const s = String(text);
  if (s.length <= max) return s.replace(UNSAFE, escapeOne);
  return `${head(s, max).replace(UNSAFE, escapeOne)}… (${groupDigits(s.length)} characters)`;
}

/** A value in double quotes, made printable: `"abc"`, or `"aaaa…" (3,145,728 characters)`. */
export function quoted(text: string, max: number = SHOWN_CHARACTERS): string {
  const s = String(text);
  if (s.length <= max) return `"${s.replace(UNSAFE, escapeOne)}"`;
  return `"${head(s, max).replace(UNSAFE, escapeOne)}…" (${groupDigits(s.length)} characters)`;
}

/**
 * Values (a header's column names) quoted and joined by ", ", at most `maxItems` of them:
 * `"a", "b", ... and 99,998 more`.
 */
export function quotedList(values: readonly string[], maxItems = 20, max: number = SHOWN_CHARACTERS): string {
  const shown = values.slice(0, maxItems).map((v) => quoted(v, max));
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')}, ... and ${groupDigits(rest)} more` : shown.join(', ');
}

/** Longest message the CLI prints in one piece (characters); longer ones are cut with their length. */
export const MESSAGE_CHARACTERS = 16_384;

/**
 * The CLI's last line of defence, over a whole message or output about to be printed: control
 * characters escaped except the line feeds between its lines, and (with `max`) a message longer
 * than `max` cut with its length. Values quoted with `printable` are already safe and pass
 * unchanged; this catches what a plugin, a library or an unescaped message would bring.
 */
export function terminalSafe(message: string, max: number = Number.POSITIVE_INFINITY): string {
  const s = String(message);
  UNSAFE_BUT_NEWLINE.lastIndex = 0;
  const escaped = UNSAFE_BUT_NEWLINE.test(s) ? s.replace(UNSAFE_BUT_NEWLINE, escapeOne) : s;
  if (escaped.length <= max) return escaped;
  return `${head(escaped, max)}… (${groupDigits(escaped.length)} characters)`;
}
