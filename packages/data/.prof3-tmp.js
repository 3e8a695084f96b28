const ms = (a) => (Number(process.hrtime.bigint() - a) / 1e6).toFixed(1);
const fs = require('fs');
const { readCsvTable } = require('./dist/csv-table');
const { readPriceRows } = require('./dist/price-rows');
const { resolveLayout } = require('./dist/layout');
const s = fs.readFileSync('/work/shared/data/gspc-daily.csv', 'utf8');
const out = [];
for (let k = 0; k < 4; k++) {
  let t = process.hrtime.bigint();
  const tab = readCsvTable(s, 'f'); out.push('table ' + ms(t)); t = process.hrtime.bigint();
  const lay = resolveLayout(tab.header, { file: 'f', line: 1 });
  readPriceRows(tab, 'f', 'f', lay, 'drop'); out.push('rows ' + ms(t));
}
console.log(out.join(' '));
