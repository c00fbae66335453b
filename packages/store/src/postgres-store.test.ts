// Runs against the PostgreSQL server on this machine (127.0.0.1:5432, database test): never mocked.
import { describe, expect, it } from 'vitest';
import { openStore } from './open-store.ts';
import { PostgresRollupStore } from './postgres-store.ts';
import { describeStoreContract } from './store-contract.ts';
import { describeAlertHistoryContract } from './alert-history-contract.ts';
import { describeDeviceDigestContract } from './device-digest-contract.ts';
import { describeDayRollupContract } from './day-rollup-contract.ts';
import { describeMonthRollupContract } from './month-rollup-contract.ts';

const base = process.env.WARDWATCH_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
let n = 0;
const schemaName = () => `ww_test_${process.pid}_${Date.now() % 1_000_000}_${n++}`;

describeStoreContract('PostgreSQL', async () => {
  const store = await PostgresRollupStore.open({ connectionString: base, schema: schemaName() });
  return Object.assign(store, { dispose: () => store.dropSchema() });
});

const digestSchemas = new WeakMap<object, string>();
describeDeviceDigestContract(
  'PostgreSQL',
  async () => {
    const schema = schemaName();
    const store = await PostgresRollupStore.open({ connectionString: base, schema });
    digestSchemas.set(store, schema);
    return Object.assign(store, { dispose: () => store.dropSchema() });
  },
  // A second connection pool on the same schema: another processor folding at the same time.
  async (store) => PostgresRollupStore.open({ connectionString: base, schema: digestSchemas.get(store)! }),
);

const daySchemas = new WeakMap<object, string>();
describeDayRollupContract(
  'PostgreSQL',
  async () => {
    const schema = schemaName();
    const store = await PostgresRollupStore.open({ connectionString: base, schema });
    daySchemas.set(store, schema);
    return Object.assign(store, { dispose: () => store.dropSchema() });
  },
  // A second connection pool on the same schema: another processor writing while this one folds.
  async (store) => PostgresRollupStore.open({ connectionString: base, schema: daySchemas.get(store)! }),
);

describeMonthRollupContract('PostgreSQL', async () => {
  const store = await PostgresRollupStore.open({ connectionString: base, schema: schemaName() });
  return Object.assign(store, { dispose: () => store.dropSchema() });
});

const reopened = new WeakMap<object, string>();
describeAlertHistoryContract(
  'PostgreSQL',
  async () => {
    const schema = schemaName();
    const store = await PostgresRollupStore.open({ connectionString: base, schema });
    reopened.set(store, schema);
    return Object.assign(store, { dispose: () => store.dropSchema() });
  },
  async (store) => {
    const schema = reopened.get(store)!;
    await store.close();
    const again = await PostgresRollupStore.open({ connectionString: base, schema });
    return Object.assign(again, { dispose: () => again.dropSchema() });
  },
);

describe('PostgreSQL store', () => {
  it('opens through a URL with a schema parameter and migrates once per schema', async () => {
    const schema = schemaName();
    const a = (await openStore(`${base}?schema=${schema}`)) as PostgresRollupStore;
    const b = (await openStore(`${base}?schema=${schema}`)) as PostgresRollupStore; // second migration is a no-op
    await b.close();
    await a.dropSchema();
    await a.close();
  });

  it('says where it tried when PostgreSQL is unreachable', async () => {
    await expect(openStore('postgres://postgres@127.0.0.1:1/test')).rejects.toThrow(/cannot reach PostgreSQL at 127\.0\.0\.1:1/);
  });

  it('refuses an unsafe schema name', async () => {
    await expect(PostgresRollupStore.open({ connectionString: base, schema: 'x; DROP TABLE y' })).rejects.toThrow(/schema name/);
  });
});
