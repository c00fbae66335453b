// Deterministic randomness keyed by what is being generated (device, slot, purpose) rather than by
// a running PRNG state, so that generating [a, c) equals generating [a, b) then [b, c).

/** A 32-bit mix of up to four integers and the seed; returns a number in [0, 1). */
export function hashUnit(seed: number, a: number, b = 0, c = 0): number {
  return hashToUnit(hashAbsorb(hashAbsorb(hashAbsorb(hashStart(seed), a), b), c));
}

// hashUnit in steps, for callers that draw many numbers sharing their first keys (one device, one
// instant): absorbing a key once and reusing the state gives the same numbers with fewer mixes.
// hashToUnit(hashAbsorb(hashAbsorb(hashAbsorb(hashStart(seed), a), b), c)) === hashUnit(seed, a, b, c).

/** The hash state for a seed, before any key. */
export function hashStart(seed: number): number {
  return (seed ^ 0x9e3779b9) >>> 0;
}

/** The state after absorbing one key; large values (timestamps) go in as two 32-bit halves. */
export function hashAbsorb(state: number, key: number): number {
  return mix(mix(state ^ (key >>> 0)) ^ ((key / 4294967296) >>> 0));
}

/** The number in [0, 1) a state stands for. */
export function hashToUnit(state: number): number {
  return mix(state) / 4294967296;
}

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A seeded sequential PRNG (mulberry32), for building the estate. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal sample from two uniforms (Box–Muller), with the given median. */
export function logNormal(u1: number, u2: number, median: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(Math.max(u1, 1e-12))) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * z);
}

/** Stable 32-bit hash of a string (FNV-1a), to key randomness by ids. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
