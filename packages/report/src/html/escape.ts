const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe for HTML element content and quoted attribute values: the five markup
 * characters become entities, and control characters (C0 but tab, line feed and carriage
 * return; DEL; C1), which a browser shows as nothing or a box, become U+FFFD (�). Prefer the
 * `html` template of ./html, which applies this to every value it is given.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '\ufffd');
}

const SCRIPT_UNSAFE = /[<>&\u007f-\u009f\u2028\u2029]/;
const SCRIPT_UNSAFE_ALL = /[<>&\u007f-\u009f\u2028\u2029]/g;

/**
 * JSON made safe inside a <script> element: `<`, `>`, `&`, U+2028 and U+2029 are written as
 * `\uXXXX` escapes (the same string to JSON.parse), so neither `</script>` nor `<!--` can appear
 * in it whatever the strings hold, and it is valid JavaScript too. So are DEL and the C1
 * controls; JSON.stringify already escapes the C0 ones.
 */
export function scriptJson(value: unknown): string {
  const json = JSON.stringify(value);
  // Checked first: the data of a 55-year run is 180 kB, and it almost never needs a change.
  return SCRIPT_UNSAFE.test(json) ? json.replace(SCRIPT_UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}
