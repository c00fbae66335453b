// The pages other than the site grid and the wall are loaded when one is first shown: their code
// (uPlot and the charts above all) stays out of the bundle the grid waits for. They come as one
// chunk (lazy-pages.ts). Once the first figures are on screen it is fetched while the page is idle,
// so that later navigation does not wait.
const LAZY_PAGES = ['site', 'scope', 'devices', 'alerts', 'slos', 'evidence'] as const;
export type LazyPage = (typeof LAZY_PAGES)[number];

let load: Promise<unknown> | undefined;

export const isLazyPage = (page: string): page is LazyPage => (LAZY_PAGES as readonly string[]).includes(page);

/** Loads (once) the code that defines the lazy pages' elements; rejects when it cannot be fetched. */
export function loadPages(): Promise<unknown> {
  if (!load) {
    load = import('./lazy-pages.ts');
    // A failed fetch (the server restarted on a newer build, say) is tried again on the next visit.
    load.catch(() => (load = undefined));
  }
  return load;
}

/** Fetches the pages' code when the browser is idle. */
export function preloadPages(): void {
  const fetchPages = () => void loadPages().catch(() => {});
  if ('requestIdleCallback' in window) requestIdleCallback(fetchPages, { timeout: 5000 });
  else setTimeout(fetchPages, 1000);
}
