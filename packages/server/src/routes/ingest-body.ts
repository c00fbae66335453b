// Splits an ingest body into items without trusting it: a JSON array is cut into its elements by a
// scanner that only counts brackets and skips strings (no recursion, so no depth can overflow the stack),
// NDJSON into lines; every item is measured (length, nesting depth) before JSON.parse sees it. An item
// too long or too deep is refused on its own, so the events beside it still go through.
import type { RejectReason } from '@wardwatch/schema';

export interface BodyLimits {
  /** Longest item (an NDJSON line or an array element), in characters. An event is well under 2,000. */
  maxItemChars: number;
  /** Deepest nesting of objects and arrays within one item. An event is 3 deep (event → body → phases). */
  maxDepth: number;
  /** How much of a refused over-long item is kept for the dead-letter topic, in characters. */
  keptCharsOfLongItem: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxItemChars: 64 * 1024, maxDepth: 8, keptCharsOfLongItem: 1024 };

export interface BodyItem {
  index: number;
  /** The item's text as sent (for an over-long item, its first keptCharsOfLongItem characters). */
  raw: string;
  /** The parsed value; absent when refused. */
  value?: unknown;
  refusal?: { reason: Extract<RejectReason, 'malformed-json' | 'too-long' | 'too-deep'>; message: string };
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/** Splits a body into items: a JSON array, a single JSON object, or NDJSON lines. */
export function splitBody(body: string, limits: BodyLimits = DEFAULT_BODY_LIMITS): BodyItem[] | { error: string } {
  const trimmed = body.trim();
  if (trimmed === '') return { error: 'the body is empty: send a JSON array or NDJSON of events' };
  if (trimmed.charCodeAt(0) === OPEN_BRACKET) return splitArray(trimmed, limits);
  // One event pretty-printed over lines (JSON.stringify(event, null, 2), curl -d @event.json): a first
  // line of a lone "{" is no NDJSON event, so the body is read as the one element of an array —
  // instead of a refusal per line, each "not valid JSON".
  if (/^\{[ \t]*\r?\n/.test(trimmed)) return splitArray(`[${trimmed}]`, limits);
  const items: BodyItem[] = [];
  let index = 0;
  for (const line of trimmed.split('\n')) {
    const raw = line.trim();
    if (raw === '') continue;
    items.push(measuredItem(index++, raw, limits));
  }
  return items;
}

/**
 * Cuts `[e0, e1, …]` at its top-level commas. Only the array's own brackets must balance; what is
 * inside an element is JSON.parse's business (a broken element is refused on its own). The whole
 * body is refused only when the array's end cannot be found: then no element's end can be trusted.
 */
function splitArray(text: string, limits: BodyLimits): BodyItem[] | { error: string } {
  const items: BodyItem[] = [];
  let depth = 0; // within the array: 0 = between elements
  let start = 1;
  let deepest = 0;
  let i = 1;
  let closedAt = -1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
      if (i < 0) break;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > deepest) deepest = depth;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) {
        closedAt = i;
        break;
      }
      depth--;
    } else if (c === COMMA && depth === 0) {
      items.push(scannedItem(items.length, text, start, i, deepest, limits));
      start = i + 1;
      deepest = 0;
    }
  }
  if (closedAt < 0 || text.charCodeAt(closedAt) !== CLOSE_BRACKET) {
    return { error: 'the body starts with "[" but is not a valid JSON array: its closing "]" was not found (an unterminated string or bracket)' };
  }
  if (closedAt !== text.length - 1) {
    return { error: `the body starts with "[" but is not a valid JSON array: text follows its closing "]" at character ${closedAt}` };
  }
  // `[]` has no element; `[a,]` has an empty last one, refused like any malformed element.
  if (items.length > 0 || text.slice(start, closedAt).trim() !== '') items.push(scannedItem(items.length, text, start, closedAt, deepest, limits));
  return items;
}

/** An array element whose depth the array scan already measured. */
function scannedItem(index: number, text: string, start: number, end: number, depth: number, limits: BodyLimits): BodyItem {
  const raw = text.slice(start, end).trim();
  if (raw.length > limits.maxItemChars) return tooLong(index, raw, limits);
  if (depth > limits.maxDepth) return tooDeep(index, raw, limits);
  return parsed(index, raw);
}

/** An NDJSON line: length first (free), then depth (one pass), then JSON.parse. */
function measuredItem(index: number, raw: string, limits: BodyLimits): BodyItem {
  if (raw.length > limits.maxItemChars) return tooLong(index, raw, limits);
  if (nestingDepth(raw, limits.maxDepth) > limits.maxDepth) return tooDeep(index, raw, limits);
  return parsed(index, raw);
}

/** The deepest nesting of objects and arrays in `text`, counting stops once past `limit`. */
export function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
      if (i < 0) break;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) break;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/** Index of the quote closing the string opened at `open`, or -1 when it is never closed. */
function endOfString(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return -1;
}

function parsed(index: number, raw: string): BodyItem {
  try {
    return { index, raw, value: JSON.parse(raw) };
  } catch (error) {
    return { index, raw, refusal: { reason: 'malformed-json', message: `not valid JSON: ${(error as Error).message}` } };
  }
}

function tooLong(index: number, raw: string, limits: BodyLimits): BodyItem {
  return {
    index,
    raw: raw.slice(0, limits.keptCharsOfLongItem),
    refusal: {
      reason: 'too-long',
      message: `${raw.length} characters, more than the ${limits.maxItemChars} an event may take (an event is under 2,000); the first ${limits.keptCharsOfLongItem} are kept`,
    },
  };
}

function tooDeep(index: number, raw: string, limits: BodyLimits): BodyItem {
  return {
    index,
    raw: raw.slice(0, limits.keptCharsOfLongItem),
    refusal: { reason: 'too-deep', message: `objects and arrays nested more than ${limits.maxDepth} deep; an event is 3 deep (event, body, phases)` },
  };
}
