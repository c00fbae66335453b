// @wardwatch/status-rules — the status rules: a scope's figures over a horizon → ok / degraded /
// down / unknown with a reason naming its evidence, and the thresholds they use. Pure. The processor
// judges live statuses with them, the server judges stored history with them.
export { judge, slowOf, type Verdict } from './status-rules.ts';
export { DEFAULT_THRESHOLDS, type StatusThresholds } from './thresholds.ts';
