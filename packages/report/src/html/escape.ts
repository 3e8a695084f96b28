/** Text made safe for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON made safe inside a <script> element: no `</script>` or `<!--` can appear in it. */
export function scriptJson(value: unknown): string {
  const json = JSON.stringify(value);
  // Checked first: the data of a 55-year run is 180 kB, and it almost never needs a change.
  return /[<\u2028\u2029]/.test(json) ? json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') : json;
}
