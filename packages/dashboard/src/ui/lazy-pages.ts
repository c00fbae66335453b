// The pages loaded after the grid (pages.ts): one chunk, so the bundle splits into the entry, this
// and the code the two share — three files, not a dozen.
import './components/ww-alerts.ts';
import './components/ww-device-list.ts';
import './components/ww-evidence.ts';
import './components/ww-scope-page.ts';
import './components/ww-site-page.ts';
import './components/ww-slos.ts';
