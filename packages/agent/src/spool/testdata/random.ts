// xorshift32: a seeded PRNG shared by the kill -9 test and its child writer, so a failing round can be
// replayed from the seed the parent logs.
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}
