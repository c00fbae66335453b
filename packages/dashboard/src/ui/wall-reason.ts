// The wall's worst-first list gives each site's reason in a line or two, read across a room: its
// findings without the evidence in brackets — "availability 97.0 %; app p95 4.6 s over the 2.0 s
// target", not "availability 97.0 % (147 of 4,880 checks failed, last 15 min); app p95 …", which a
// line cut before its second finding. The whole reason stays the line's title, a screen reader's text and the
// site page's. A reason's evidence is one bracket each, never nested (status-rules). Pure.

/** A status reason without its bracketed evidence. */
export const wallReason = (reason: string): string => reason.replace(/\s*\([^()]*\)/g, '');
