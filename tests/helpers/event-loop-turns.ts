// How often the event loop comes round while some work runs: the turns the thread's other work (a
// server's requests, a processor's batches) would get meanwhile. A step that never yields gives none.
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let working = true;
  const turn = () => {
    turns++;
    if (working) setImmediate(turn);
  };
  setImmediate(turn);
  try {
    return { result: await work(), turns };
  } finally {
    working = false;
  }
}
