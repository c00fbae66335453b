// What every DayRollupStore must do, run against SQLite and PostgreSQL alike. Not exported from the
// package entry: it imports vitest. The fold here is a plain one (UTC days, no sketches): the store
// neither knows nor cares how the caller builds a day.
import { describe, expect, it } from 'vitest';
import { openedStores } from './opened-stores.fixture.ts';
import { DAY, HOUR, row, sumFold } from './tier-folds.fixture.ts';
import type { DayRollupRecord, DayRollupStore } from './day-rollup-store.ts';
import type { RollupStore } from './rollup-store.ts';

const D0 = Date.UTC(2026, 10, 2);

type Store = RollupStore & DayRollupStore & { dispose?: () => Promise<void> };

const brief = (d: DayRollupRecord) => `${d.scope} ${d.metric} +${(d.day - D0) / DAY}d hours=${d.hours.toString(2)} valid=${d.valid} rows=${d.sketch[0] ?? '-'}`;

export function describeDayRollupContract(name: string, open: () => Promise<Store>, second?: (store: Store) => Promise<Store>): void {
  describe(`${name}: day rollups`, () => {
    const { fresh, adopt } = openedStores(open);

    it('folds a day of every scope but devices into day rows, keeps the hourly rows, and moves the fold mark', async () => {
      const store = await fresh();
      expect(await store.dayFoldState()).toEqual({ foldedTo: 0, refold: [], firstHour: undefined });
      await store.write([
        row('site:S1', D0, 2), row('site:S1', D0 + 5 * HOUR, 3), row('site:S1', D0 + 5 * HOUR, 4, 'logon.totalMs'),
        row('ward:S1/W1', D0 + 23 * HOUR, 1), row('ap:3c:a8', D0 + HOUR, 6), row('siteapp:S1/epr', D0, 7),
        row('device:D1', D0, 9), row('site:S1', D0, 9, 'app.totalMs', '5m'), row('site:S1', D0 + DAY, 5),
      ]);
      expect((await store.dayFoldState()).firstHour).toBe(D0);
      expect(await store.foldDay(D0, D0 + DAY, sumFold)).toBe(6);
      const days = await store.dayRollups({ scope: '*', from: 0, to: D0 + 10 * DAY });
      expect(days.map(brief).sort()).toEqual([
        'ap:3c:a8 app.totalMs +0d hours=10 valid=6 rows=1',
        'site:S1 app.totalMs +0d hours=100001 valid=5 rows=2',
        'site:S1 logon.totalMs +0d hours=100000 valid=4 rows=1',
        'siteapp:S1/epr app.totalMs +0d hours=1 valid=7 rows=1',
        'ward:S1/W1 app.totalMs +0d hours=100000000000000000000000 valid=1 rows=1',
      ]);
      expect(await store.dayFoldState()).toEqual({ foldedTo: D0 + DAY, refold: [], firstHour: D0 });
      expect(await store.query({ scope: 'site:S1', resolution: '1h', from: 0, to: D0 + 2 * DAY })).toHaveLength(4);
      // Queries as rollups: exact scope, a prefix, a metric, a day range, counts only.
      expect((await store.dayRollups({ scope: 'site:S1', metric: 'logon.totalMs', from: D0, to: D0 + 1 })).map(brief)).toEqual(['site:S1 logon.totalMs +0d hours=100000 valid=4 rows=1']);
      expect((await store.dayRollups({ scope: 'site:*', from: D0, to: D0 + DAY })).map((d) => d.metric).sort()).toEqual(['app.totalMs', 'logon.totalMs']);
      expect(await store.dayRollups({ scope: 'site:S1', from: D0 + 1, to: D0 + DAY })).toEqual([]);
      const counts = await store.dayRollups({ scope: 'ap:*', from: D0, to: D0 + DAY, countsOnly: true });
      expect(counts.map((d) => [d.valid, d.sketch.length])).toEqual([[6, 0]]);
    });

    it('folds a day of many scopes (read an hour at a time, folded a hundred scope–metric pairs at a time) into what one fold of all its rows gives', async () => {
      const store = await fresh();
      // 260 pairs (130 wards, two metrics), each in some of the day's hours: pieces of a hundred pairs,
      // and hours read apart, must not split a pair's day.
      const rows = [];
      for (let w = 0; w < 130; w++) {
        for (let h = 0; h < 24; h += 1 + (w % 5)) {
          rows.push(row(`ward:S${w % 7}/W${w}`, D0 + h * HOUR, 1 + ((w * h) % 9)));
          if (h % 2 === 0) rows.push(row(`ward:S${w % 7}/W${w}`, D0 + h * HOUR, 2, 'logon.totalMs'));
        }
      }
      await store.write(rows);
      expect(await store.foldDay(D0, D0 + DAY, sumFold)).toBe(rows.length);
      const days = await store.dayRollups({ scope: '*', from: D0, to: D0 + DAY });
      expect(days.map(brief).sort()).toEqual(sumFold(rows).map(brief).sort());
      expect(days).toHaveLength(260);
    });

    it('notes an hourly row written below the fold mark, in its write, and a refold clears the note', async () => {
      const store = await fresh();
      await store.write([row('site:S1', D0, 2)]);
      await store.foldDay(D0, D0 + DAY, sumFold);
      await store.foldDay(D0 + DAY, D0 + 2 * DAY, sumFold);
      // A late correction (the row rewritten), history written afterwards, a device row and a 5-minute
      // row (not noted), a row above the mark (not noted).
      await store.write([row('site:S1', D0, 5), row('ward:S1/W2', D0 + DAY + 3 * HOUR, 1), row('device:D1', D0, 1), row('site:S1', D0 + HOUR, 1, 'app.totalMs', '5m'), row('site:S1', D0 + 2 * DAY, 1)]);
      expect(await store.dayFoldState()).toEqual({ foldedTo: D0 + 2 * DAY, refold: [D0, D0 + DAY + 3 * HOUR], firstHour: D0 });
      expect(await store.foldDay(D0, D0 + DAY, sumFold)).toBe(1);
      expect((await store.dayRollups({ scope: 'site:S1', from: D0, to: D0 + DAY })).map(brief)).toEqual(['site:S1 app.totalMs +0d hours=1 valid=5 rows=1']);
      // Refolding an earlier day leaves the mark where it was.
      expect(await store.dayFoldState()).toEqual({ foldedTo: D0 + 2 * DAY, refold: [D0 + DAY + 3 * HOUR], firstHour: D0 });
    });

    it('notes a write made while a fold merges the rows it read, and keeps the note after the fold', async () => {
      const store = await fresh();
      await store.write([row('site:S1', D0, 1)]);
      let late: Promise<void> | undefined;
      await store.foldDay(D0, D0 + DAY, (rows) => {
        // The fold holds no write lock while it merges: a correction lands now.
        late = store.write([row('site:S1', D0 + 2 * HOUR, 4)]);
        return sumFold(rows);
      });
      await late;
      expect((await store.dayRollups({ scope: 'site:S1', from: D0, to: D0 + DAY })).map(brief)).toEqual(['site:S1 app.totalMs +0d hours=1 valid=1 rows=1']);
      expect(await store.dayFoldState()).toEqual({ foldedTo: D0 + DAY, refold: [D0 + 2 * HOUR], firstHour: D0 });
      await store.foldDay(D0, D0 + DAY, sumFold);
      expect((await store.dayRollups({ scope: 'site:S1', from: D0, to: D0 + DAY })).map(brief)).toEqual(['site:S1 app.totalMs +0d hours=101 valid=5 rows=2']);
      expect((await store.dayFoldState()).refold).toEqual([]);
    });

    it('keeps a fold that fails whole: no day rows, the mark and the notes as they were', async () => {
      const store = await fresh();
      await store.write([row('site:S1', D0, 2)]);
      await expect(store.foldDay(D0, D0 + DAY, () => {
        throw new Error('bad day');
      })).rejects.toThrow('bad day');
      expect(await store.dayRollups({ scope: '*', from: 0, to: D0 + DAY })).toEqual([]);
      expect((await store.dayFoldState()).foldedTo).toBe(0);
      // A refold that fails keeps its day's note (and the day's old rows).
      await store.foldDay(D0, D0 + DAY, sumFold);
      await store.write([row('site:S1', D0 + HOUR, 3)]);
      await expect(store.foldDay(D0, D0 + DAY, () => {
        throw new Error('bad day');
      })).rejects.toThrow('bad day');
      expect(await store.dayFoldState()).toEqual({ foldedTo: D0 + DAY, refold: [D0 + HOUR], firstHour: D0 });
      expect((await store.dayRollups({ scope: '*', from: 0, to: D0 + DAY })).map(brief)).toEqual(['site:S1 app.totalMs +0d hours=1 valid=2 rows=1']);
    });

    it('prunes day rows and notes with the hourly rows\' retention', async () => {
      const store = await fresh();
      const now = D0 + 500 * DAY;
      await store.write([row('site:S1', D0, 2), row('site:S1', now - DAY, 3)]);
      await store.foldDay(D0, D0 + DAY, sumFold);
      await store.foldDay(now - DAY, now, sumFold);
      await store.prune(now, { '1m': 2 * DAY, '5m': 14 * DAY, '1h': 400 * DAY });
      expect((await store.dayRollups({ scope: '*', from: 0, to: now })).map((d) => d.valid)).toEqual([3]);
    });

    it('keeps the hours of a day noted for a refold past their retention until it is folded; drops a late note into a day folded with its data', async () => {
      const store = await fresh();
      const now = D0 + 100 * DAY;
      const retention = { '1m': 2 * DAY, '5m': 14 * DAY, '1h': 62 * DAY };
      const hours = async () => (await store.query({ scope: 'site:S1', resolution: '1h', from: 0, to: now })).map((r) => `+${(r.start - D0) / HOUR}h valid=${r.valid}`);
      // Day 1 folded with its data, its hours then pruned; a recent day folded, so the mark is recent.
      await store.write([row('site:S1', D0 + DAY, 4)]);
      await store.foldDay(D0 + DAY, D0 + 2 * DAY, sumFold);
      await store.write([row('site:S1', now - 2 * DAY, 3)]);
      await store.foldDay(now - 2 * DAY, now - DAY, sumFold);
      await store.prune(now, retention);
      expect(await hours()).toEqual([`+${(100 - 2) * 24}h valid=3`]);
      // History written behind the mark into day 0, never folded (the demo's months), and a write into
      // day 1 a hundred days late: both noted.
      await store.write([row('site:S1', D0 + HOUR, 5), row('site:S1', D0 + DAY + 3 * HOUR, 1)]);
      expect((await store.dayFoldState()).refold).toEqual([D0 + HOUR, D0 + DAY + 3 * HOUR]);
      await store.prune(now, retention);
      // Day 0's hour is all there is of it: kept, and its note, until the day is folded. Day 1's late
      // hour would fold over the day's row with one hour of its 24: dropped, the day row as it was.
      expect(await hours()).toEqual(['+1h valid=5', `+${(100 - 2) * 24}h valid=3`]);
      expect((await store.dayFoldState()).refold).toEqual([D0 + HOUR]);
      await store.foldDay(D0, D0 + DAY, sumFold);
      await store.prune(now, retention);
      expect(await hours()).toEqual([`+${(100 - 2) * 24}h valid=3`]);
      expect((await store.dayRollups({ scope: 'site:S1', from: 0, to: now })).map((d) => `+${(d.day - D0) / DAY}d valid=${d.valid}`)).toEqual(['+0d valid=5', '+1d valid=4', '+98d valid=3']);
    });

    if (second) {
      it('a write from another connection during a fold is either folded or noted', async () => {
        const store = await fresh();
        const other = adopt(await second(store));
        await store.write([row('site:S1', D0, 1)]);
        await store.foldDay(D0, D0 + DAY, sumFold);
        // Corrections to the folded day from another connection while the day is folded again.
        const writes = Promise.all(Array.from({ length: 20 }, (_, i) => other.write([row(`site:S${i + 2}`, D0 + (i % 24) * HOUR, 1)])));
        const folds = Promise.all([store.foldDay(D0, D0 + DAY, sumFold), store.foldDay(D0, D0 + DAY, sumFold)]);
        await Promise.all([writes, folds]);
        const state = await store.dayFoldState();
        const folded = (await store.dayRollups({ scope: '*', from: D0, to: D0 + DAY })).map((d) => d.scope);
        // Every written scope is in the day rows, or its hour is noted for a refold.
        for (let i = 0; i < 20; i++) expect(folded.includes(`site:S${i + 2}`) || state.refold.includes(D0 + (i % 24) * HOUR)).toBe(true);
        if (state.refold.length > 0) await store.foldDay(D0, D0 + DAY, sumFold);
        expect(await store.dayRollups({ scope: '*', from: D0, to: D0 + DAY })).toHaveLength(21);
      });
    }
  });
}
