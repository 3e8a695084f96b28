const ms = (a) => (Number(process.hrtime.bigint() - a) / 1e6).toFixed(1);
const { lastWeekdayOfMonth } = require('./dist/month-end');
let t = process.hrtime.bigint();
lastWeekdayOfMonth('2026-04-10'); console.log('lwd', ms(t)); t = process.hrtime.bigint();
const dates = []; for (let y = 1970; y < 2026; y++) for (let m = 1; m <= 12; m++) for (let d = 1; d <= 20; d++) dates.push(`${y}-${String(m).padStart(2,'0')}-${String(d).padStart(2,'0')}`);
console.log('gen', ms(t), dates.length); t = process.hrtime.bigint();
let c = 0; for (let i = 1; i < dates.length; i++) if (dates[i].slice(0, 7) !== dates[i - 1].slice(0, 7)) c++;
console.log('slice loop', ms(t), c);
