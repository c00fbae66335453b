// What a started command hands back to main: where it listens, and how to stop it cleanly.
export interface Running {
  url?: string;
  stop(): Promise<void>;
  /** Resolves when the command finished on its own (simulate --minutes). */
  done?: Promise<void>;
  /** Re-reads the ingest token file (SIGHUP); present only when the server was given one. */
  reloadIngestTokens?(): boolean;
}
