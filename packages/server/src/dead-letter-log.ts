// The dead letters an operator can read: the newest inputs that could not be counted, with why, where
// they came from and what was sent — for finding the agent or client that sends them without a Kafka
// console. Fed by whatever sees them (the embedded gateway as it refuses; on Kafka, the dead-letter
// topic, which the processors write to as well). Bounded: a misbehaving sender can fill it, not the
// server's memory; the counts by reason stay exact.
import { REJECT_REASONS, type DeadLetter } from '@wardwatch/schema';

export interface DeadLetterLogOptions {
  /** Letters kept, newest first (default 1,000). */
  maxLetters?: number;
  /** Bytes of originals and messages kept (default 16 MiB: a thousand letters of the 16 kB a letter may hold). */
  maxBytes?: number;
  /** When the log started counting, epoch ms (default now). */
  since?: number;
}

export interface DeadLetterQuery {
  /** Only letters of this reason. */
  reason?: string;
  /** At most this many, newest first. */
  limit: number;
}

export interface DeadLetterPage {
  /** Since when `counts` counts, epoch ms: the server's start, or the topic's oldest letter read. */
  since: number;
  /** Every letter seen since then, by reason ("other" for a reason wardwatch does not give) — also those no longer kept. */
  counts: Record<string, number>;
  /** Letters kept now (of every reason). */
  kept: number;
  /** The newest kept letters matching the query, newest first. */
  letters: DeadLetter[];
}

/** A letter's weight against the byte budget: what it holds in text. */
const weightOf = (letter: DeadLetter) => 2 * (letter.original.length + letter.message.length + letter.reason.length + letter.topic.length + letter.offset.length) + 100;

const REASONS = new Set<string>(REJECT_REASONS);
/**
 * The count a letter goes under: its reason when wardwatch gives it, else "other" — on Kafka anything
 * that can write the topic could name a new reason a letter, and the counts must stay bounded.
 */
const countedAs = (reason: string) => (REASONS.has(reason) ? reason : 'other');

export class DeadLetterLog {
  private readonly maxLetters: number;
  private readonly maxBytes: number;
  /** Oldest first: letters arrive in order and leave from the front. */
  private letters: DeadLetter[] = [];
  private first = 0;
  private bytes = 0;
  private readonly counts = new Map<string, number>();
  /** The start, or the earliest letter seen when older (a topic read from its beginning). */
  private since: number;

  constructor(options: DeadLetterLogOptions = {}) {
    this.maxLetters = options.maxLetters ?? 1000;
    this.maxBytes = options.maxBytes ?? 16 * 2 ** 20;
    this.since = options.since ?? Date.now();
  }

  add(letter: DeadLetter): void {
    const reason = countedAs(letter.reason);
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    if (letter.at < this.since) this.since = letter.at;
    this.letters.push(letter);
    this.bytes += weightOf(letter);
    while (this.letters.length - this.first > this.maxLetters || (this.bytes > this.maxBytes && this.letters.length - this.first > 1)) {
      this.bytes -= weightOf(this.letters[this.first]!);
      this.first++;
    }
    // Compact once the dropped front outgrows what is kept.
    if (this.first > this.maxLetters) {
      this.letters = this.letters.slice(this.first);
      this.first = 0;
    }
  }

  page(query: DeadLetterQuery): DeadLetterPage {
    const letters: DeadLetter[] = [];
    for (let i = this.letters.length - 1; i >= this.first && letters.length < query.limit; i--) {
      const letter = this.letters[i]!;
      if (query.reason === undefined || letter.reason === query.reason) letters.push(letter);
    }
    return { since: this.since, counts: Object.fromEntries(this.counts), kept: this.letters.length - this.first, letters };
  }
}
