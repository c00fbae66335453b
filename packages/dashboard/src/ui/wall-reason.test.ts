import { describe, expect, it } from 'vitest';
import { wallReason } from './wall-reason.ts';

describe('wallReason', () => {
  it.each([
    [
      'availability 97.0 % (147 of 4,880 checks failed, last 15 min); app p95 4.6 s over the 2.0 s target (last 15 min, 4,880 checks)',
      'availability 97.0 %; app p95 4.6 s over the 2.0 s target',
    ],
    ['no application check succeeded (last 15 min, 40 checks)', 'no application check succeeded'],
    ['logon p95 35.0 s over the 30.0 s target (last 15 min, 12 logons)', 'logon p95 35.0 s over the 30.0 s target'],
    ['silent for 20 min', 'silent for 20 min'],
    ['SLO site-logon-latency is burning its error budget fast enough to page', 'SLO site-logon-latency is burning its error budget fast enough to page'],
    ['Wi-Fi signal median −75 dBm, below −70 dBm', 'Wi-Fi signal median −75 dBm, below −70 dBm'],
    ['', ''],
  ])('%j → %j', (reason, shown) => {
    expect(wallReason(reason)).toBe(shown);
  });
});
