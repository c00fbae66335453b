import { buildEstate, Simulator } from '@wardwatch/simulator';
const sim = new Simulator({ estate: buildEstate({ seed: 42 }), seed: 42 });
const start = Date.UTC(2026, 11, 2, 9, 0);
let t = start - 3600_000;
// warm
for (let i = 0; i < 4 * 600; i++) { const ev = sim.stream(t, t + 250).take(1e9); t += 250; for (const e of ev) JSON.stringify(e); }
let n = 0, ms = 0, maxLen = 0;
for (let i = 0; i < 4 * 300; i++) { const ev = sim.stream(t, t + 250).take(1e9); t += 250; const t0 = performance.now(); for (const e of ev) { const s = JSON.stringify(e); maxLen = Math.max(maxLen, s.length); } ms += performance.now() - t0; n += ev.length; }
console.log('events', n, 'per event us', (1000 * ms / n).toFixed(2), 'max len', maxLen);
const ev = sim.stream(t, t + 5000).take(1e9); console.log(JSON.stringify(ev.slice(0,3)));
