// Scoping the grid's rules to the first frame: every selector of every rule, nothing else changed.
import { describe, expect, it } from 'vitest';
import { FIRST_FRAME_CSS, scopeCss } from './first-frame-css.ts';
import { SITE_VIEW_CSS } from './styles.ts';

describe('scopeCss', () => {
  it.each([
    ['a.tile { color: red; }', '.s a.tile { color: red; }'],
    ['label, .field { display: flex; }', '.s label, .s .field { display: flex; }'],
    [`a.tile[data-status='ok']::before { content: "✓" / ''; }`, `.s a.tile[data-status='ok']::before { content: "✓" / ''; }`],
    ['h3.group .n { font-weight: 400; }\n  .more { margin: 0; }', '.s h3.group .n { font-weight: 400; }\n.s .more { margin: 0; }'],
    ['a { background: repeating-linear-gradient(135deg, #fff 0 6px, #000 6px 9px); }', '.s a { background: repeating-linear-gradient(135deg, #fff 0 6px, #000 6px 9px); }'],
  ])('%s', (css, expected) => expect(scopeCss(css, '.s').trim()).toBe(expected));

  it('leaves no rule of the grid unscoped', () => {
    const rules = [...FIRST_FRAME_CSS.matchAll(/([^{}]+)\{[^{}]*\}/g)].map((m) => m[1]!.replace(/\/\*.*?\*\//gs, '').trim());
    expect(rules.length).toBeGreaterThan(SITE_VIEW_CSS.split('{').length - 1);
    for (const selectors of rules) for (const s of selectors.split(',')) expect(s.trim()).toMatch(/^(html\[data-deep-link(='\w+')?\] |html\[data-runs-held\] )?ww-app > \.first-frame( |$|:not\(:has\(> #first-frame-end\)\)$)/);
  });

  it('gives the frame no box until its last element is parsed', () => {
    expect(FIRST_FRAME_CSS).toContain('ww-app > .first-frame:not(:has(> #first-frame-end)) { display: none; }');
  });
});
