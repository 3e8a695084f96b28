const ms = (a) => (Number(process.hrtime.bigint() - a) / 1e6);
const fs = require('fs');
const s = fs.readFileSync('/work/shared/data/gspc-daily.csv', 'utf8');
const mode = process.argv[2];
let t = process.hrtime.bigint();
if (mode === 'nested') {
  const L = s.split('\n'); const recs = []; const lines = [];
  for (let i = 1; i < L.length; i++) { let l = L[i]; if (l.trim() === '') continue; recs.push(l.split(',')); lines.push(i + 1); }
} else if (mode === 'flat') {
  const cells = []; const starts = []; const lines = [];
  let pos = 0, line = 0; const n = s.length;
  while (pos < n) {
    let end = s.indexOf('\n', pos); if (end < 0) end = n;
    line++;
    let stop = end; if (stop > pos && s.charCodeAt(stop - 1) === 13) stop--;
    if (line > 1 && stop > pos) {
      starts.push(cells.length); lines.push(line);
      let a = pos;
      for (;;) { const c = s.indexOf(',', a); if (c < 0 || c >= stop) { cells.push(s.slice(a, stop)); break; } cells.push(s.slice(a, c)); a = c + 1; }
    }
    pos = end + 1;
  }
  starts.push(cells.length);
} else if (mode === 'flatsplit') {
  const L = s.split('\n'); const cells = []; const starts = []; const lines = [];
  for (let i = 1; i < L.length; i++) { const l = L[i]; if (l.length === 0) continue; starts.push(cells.length); lines.push(i + 1); const parts = l.split(','); for (let k = 0; k < parts.length; k++) cells.push(parts[k]); }
}
console.log(mode, ms(t).toFixed(1));
