// The metrics the processor rolls up are the rollup contract's (ROLLUP_METRICS in @wardwatch/schema),
// in the same order: snapshots refer to them by index, and the server offers them for export.
import { describe, expect, it } from 'vitest';
import { ROLLUP_METRICS } from '@wardwatch/schema';
import { METRICS } from './cell.ts';

describe('METRICS', () => {
  it('are the rollup contract’s metrics, in order', () => {
    expect([...METRICS]).toEqual([...ROLLUP_METRICS]);
  });
});
