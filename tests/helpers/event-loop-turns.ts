// How often the event loop comes round while some work runs — the turns the thread's other work (a
// server's requests, a processor's batches) would get meanwhile — and the longest it waited for one.
// A step that never yields gives no turns, and holds the thread as long as it takes.
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number; ms: number; longestMs: number }> {
  let turns = 0;
  let working = true;
  const began = performance.now();
  let last = began;
  let longestMs = 0;
  const turn = () => {
    const now = performance.now();
    turns++;
    longestMs = Math.max(longestMs, now - last);
    last = now;
    if (working) setImmediate(turn);
  };
  setImmediate(turn);
  try {
    const result = await work();
    const ended = performance.now();
    // The stretch from the last turn to the end counts too: a step that never yields holds it all.
    return { result, turns, ms: ended - began, longestMs: Math.max(longestMs, ended - last) };
  } finally {
    working = false;
  }
}
