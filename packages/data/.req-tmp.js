const ms = (a) => (Number(process.hrtime.bigint() - a) / 1e6).toFixed(1);
let t = process.hrtime.bigint();
const what = process.argv[2];
require(what);
console.log(what, ms(t));
