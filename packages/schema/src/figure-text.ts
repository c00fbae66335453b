// How a duration, a share and a count are written wherever wardwatch says one: a card's figures, the status
// reason under them, the likely cause beside them, the evidence pack. Defined once, so that one figure
// never reads two ways on one screen (a card's "4.77 s" over its reason's "4.8 s", "99.8 %" over
// "99.80 %"). Pure and without zod, so the dashboard imports it without the validators.

/** What a figure without data reads as, on every page and in print. */
export const NO_FIGURE = '–';

/** A duration: "850 ms" under a second, else seconds to one decimal ("1.2 s", "15.5 s"); NO_FIGURE without one. */
export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return NO_FIGURE;
  const whole = Math.round(ms);
  return Math.abs(whole) < 1000 ? `${whole} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * A share as a percentage: whole numbers between 10 % and 90 %, one decimal outside them, and as many
 * more (up to three) as keep a share that is not exactly 0 or 1 from reading as either —
 * 99.96 % availability is not "100.0 %", one slow logon in 2,000 is not "0.0 %". NO_FIGURE without one.
 */
export function shareText(share: number | null | undefined): string {
  if (share === null || share === undefined) return NO_FIGURE;
  if (share === 0 || share === 1) return `${share * 100} %`;
  const p = share * 100;
  return `${p.toFixed(shareDigits(p))} %`;
}

/** The decimals shareText gives a percentage `p` that is not exactly 0 or 100. */
function shareDigits(p: number): number {
  let digits = p < 10 || p > 90 ? 1 : 0;
  while (digits < 3 && misleads(p, p.toFixed(digits))) digits++;
  return digits;
}

/**
 * A writer for one column of shares: each as shareText writes it, but all with the decimals the
 * column's most exact figure needs, so that one column does not mix "88 %" with "93.3 %" (or a
 * "100 %" with "99.96 %"). Shares absent from `shares` are written with those decimals too.
 */
export function shareColumn(shares: Iterable<number | null | undefined>): (share: number | null | undefined) => string {
  let digits = 0;
  for (const share of shares) {
    if (share === null || share === undefined || share === 0 || share === 1) continue;
    digits = Math.max(digits, shareDigits(share * 100));
  }
  if (digits === 0) return shareText;
  return (share) => {
    if (share === null || share === undefined) return NO_FIGURE;
    const p = share * 100;
    return `${p.toFixed(share === 0 || share === 1 ? digits : Math.max(digits, shareDigits(p)))} %`;
  };
}

const misleads = (p: number, text: string) => (p > 0 && Number(text) === 0) || (p < 100 && Number(text) === 100);

/**
 * A Wi-Fi signal, whole dBm with a true minus ("−61 dBm", as a budget's "−8.4 %" is written): the
 * reason under a card, the likely cause, the device tables and the evidence pack write it alike.
 * NO_FIGURE without one.
 */
export function signalText(dbm: number | null | undefined): string {
  if (dbm === null || dbm === undefined) return NO_FIGURE;
  const whole = Math.round(dbm);
  return whole < 0 ? `−${-whole} dBm` : `${whole} dBm`;
}

/**
 * A device clock's skew against the server, as the device page's figure and its status reason both
 * say it: "in step" under 2 s (network time keeps clocks that close), seconds under a minute ("40 s
 * ahead"), minutes to one decimal under ten ("5.1 min behind"), whole minutes beyond ("62 min ahead").
 * The page wrote "5 min 3 s ahead" above a reason of "clock 5.1 min ahead of the server". NO_FIGURE
 * without one.
 */
export function clockSkewText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return NO_FIGURE;
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 2) return 'in step';
  const minutes = Math.abs(ms) / 60_000;
  const amount = s < 60 ? `${s} s` : minutes >= 10 ? `${Math.round(minutes)} min` : `${Number(minutes.toFixed(1))} min`;
  return `${amount} ${ms > 0 ? 'ahead' : 'behind'}`;
}

const COUNT = new Intl.NumberFormat('en-GB');

/**
 * A count, its thousands grouped as en-GB writes them ("4,888 checks", "1,000 sites"); NO_FIGURE
 * without one. Under a thousand it is the number as it is, without the formatter (a status reason
 * writes two or three counts each time a scope goes bad).
 */
export function countText(n: number | null | undefined): string {
  if (n === null || n === undefined) return NO_FIGURE;
  return Math.abs(n) < 1000 && Number.isInteger(n) ? String(n) : COUNT.format(n);
}

/** The text with its first letter a capital: a phrase opening a line (a site card's, an evidence pack's row). */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
