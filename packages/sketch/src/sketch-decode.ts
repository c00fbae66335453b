// A sketch from stored bytes, of either format: the compact one (compact-bytes.ts) or the protobuf
// message rows were written as before it; stores capped at BIN_LIMIT bins as every sketch here is.
import { DDSketch } from '@datadog/sketches-js';
import { CappedStore } from './capped-store.ts';
import { isCompact, readCompactBytes } from './compact-bytes.ts';
import { BIN_LIMIT, newSketch, proto, valid, type ProtoSketch, type SketchInternals } from './sketch.ts';

export interface ProtoStore {
  contiguousBinCounts?: number[] | null;
  contiguousBinIndexOffset?: number | null;
}

/**
 * A collapsing store holding a stored store's bins (`counts[0 … length)`, the first of key `offset`), at
 * most BIN_LIMIT of them: the bins below the highest BIN_LIMIT are summed into the lowest kept. Built
 * directly (adding bin by bin re-centres the array at every new key); counts that are not positive
 * finite numbers are not counts, and are dropped.
 */
function storeOf(counts: readonly number[], length: number, offset: number): CappedStore {
  const store = new CappedStore(BIN_LIMIT);
  let lo = 0;
  let hi = length - 1;
  while (lo <= hi && !valid(counts[lo]!)) lo++;
  while (hi >= lo && !valid(counts[hi]!)) hi--;
  if (lo > hi) return store;
  const first = Math.max(lo, hi - BIN_LIMIT + 1);
  const used = hi - first + 1;
  const bins = new Array<number>(Math.min(store.chunkSize * Math.ceil(used / store.chunkSize), BIN_LIMIT)).fill(0);
  let count = 0;
  for (let i = lo; i <= hi; i++) {
    const c = counts[i]!;
    if (!valid(c)) continue;
    bins[i < first ? 0 : i - first]! += c;
    count += c;
  }
  store.bins = bins;
  store.offset = store.minKey = offset + first;
  store.maxKey = offset + hi;
  store.count = count;
  store.isCollapsed = first > lo;
  return store;
}

function storeFromProto(stored: ProtoStore | null | undefined): CappedStore {
  const counts = stored?.contiguousBinCounts ?? [];
  return storeOf(counts, counts.length, stored?.contiguousBinIndexOffset ?? 0);
}

/**
 * The protobuf message of stored bytes, or an Error saying they are not one (protobufjs's own errors
 * name an offset, not what was being read).
 */
export function decodeProto(bytes: Uint8Array): ProtoSketch {
  let decoded: ProtoSketch;
  try {
    decoded = proto.DDSketch.decode(bytes);
  } catch (error) {
    throw new Error(`stored sketch (protobuf, ${bytes.length} bytes) is corrupt: ${(error as Error).message}`, { cause: error });
  }
  const gamma = (decoded.mapping as ProtoSketch['mapping'] | null)?.gamma;
  if (!(typeof gamma === 'number' && gamma > 1 && gamma < Infinity)) {
    throw new Error(`stored sketch (protobuf, ${bytes.length} bytes) is corrupt: it has no key mapping (γ ${String(gamma)})`);
  }
  return decoded;
}

/**
 * A sketch from stored bytes, of either format (compact-bytes.ts, or the protobuf message rows were
 * written as before it): empty bytes are an empty sketch; bytes that are neither throw an Error.
 */
export function decodeSketch(bytes: Uint8Array): DDSketch {
  if (bytes.length === 0) return newSketch();
  if (isCompact(bytes)) {
    const { positive, negative, zeroCount } = readCompactBytes(bytes);
    const sketch = newSketch();
    const s = sketch as unknown as SketchInternals;
    s.store = storeOf(positive.counts, positive.n, positive.key);
    s.negativeStore = storeOf(negative.counts, negative.n, negative.key);
    s.zeroCount = zeroCount;
    s.count = s.store.count + s.negativeStore.count + zeroCount;
    return sketch;
  }
  const decoded = decodeProto(bytes);
  let sketch = newSketch();
  let s = sketch as unknown as SketchInternals;
  // Sketches written with another accuracy take the library's own path for their mapping (stores
  // left out: they are built capped here like any other).
  if (Math.abs(decoded.mapping.gamma - s.mapping.gamma) > 1e-12) {
    const empty = proto.Store.create({ contiguousBinCounts: [], contiguousBinIndexOffset: 0 });
    sketch = DDSketch.fromProto(proto.DDSketch.encode(proto.DDSketch.create({ mapping: decoded.mapping, positiveValues: empty, negativeValues: empty, zeroCount: 0 })).finish());
    s = sketch as unknown as SketchInternals;
  }
  s.store = storeFromProto(decoded.positiveValues as ProtoStore);
  s.negativeStore = storeFromProto(decoded.negativeValues as ProtoStore);
  const zeros = decoded.zeroCount;
  s.zeroCount = zeros > 0 && zeros < Infinity ? zeros : 0;
  s.count = s.store.count + s.negativeStore.count + s.zeroCount;
  return sketch;
}
