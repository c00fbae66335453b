// What a started command hands back to main: where it listens, and how to stop it cleanly.
export interface Running {
  url?: string;
  stop(): Promise<void>;
  /** Resolves when the command finished on its own (simulate --minutes). */
  done?: Promise<void>;
}
