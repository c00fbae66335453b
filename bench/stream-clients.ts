// The other side of the streams bench, in its own process (so its reading costs the server nothing):
// opens N live streams to URL, prints "open <refused status>", then "delivered <ms>" once every
// stream has seen a degraded status, timed from the "push" line on standard input.
const [url, n] = [process.argv[2]!, Number(process.argv[3] ?? 1000)];
const seen = new Array<boolean>(n).fill(false);
const controllers: AbortController[] = [];
const open = async (i: number) => {
  const controller = new AbortController();
  controllers.push(controller);
  const res = await fetch(`${url}/api/stream`, { signal: controller.signal });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) if (!seen[i] && decoder.decode(chunk).includes('"degraded"')) seen[i] = true;
    } catch {
      // aborted
    }
  })();
};
for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => open(i + k)));
const refused = await fetch(`${url}/api/stream`);
await refused.body?.cancel();
console.log(`open ${refused.status}`);
process.stdin.once('data', () => {
  const pushed = performance.now();
  const check = setInterval(() => {
    if (seen.every(Boolean) || performance.now() - pushed > 60_000) {
      clearInterval(check);
      console.log(`delivered ${(performance.now() - pushed).toFixed(0)}`);
      for (const c of controllers) c.abort();
      process.exit(0);
    }
  }, 5);
});
