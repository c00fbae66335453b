import { describe, expect, it } from 'vitest';
import { EvidenceMonth, EvidenceTimeLost } from './evidence.ts';

describe('evidence pack shapes', () => {
  it.each(['2026-10', '2024-01', '2026-12'])('accepts the month %s', (month) => {
    expect(EvidenceMonth.parse(month)).toBe(month);
  });

  it.each(['2026-13', '2026-1', '26-10', '2026-10-01', ''])('rejects %j, saying the form expected', (month) => {
    const result = EvidenceMonth.safeParse(month);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toContain('YYYY-MM');
  });

  it('keeps time lost as a low and a high cost, never one number', () => {
    expect(EvidenceTimeLost.safeParse({ hours: 10, logonHours: 6, appHours: 4, fte: 0.08, cost: 520 }).success).toBe(false);
    expect(EvidenceTimeLost.safeParse({ hours: 10, logonHours: 6, appHours: 4, fte: 0.08, cost: { low: 470, high: 530 } }).success).toBe(true);
  });
});
