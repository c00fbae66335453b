// A command line the CLI cannot run: its message names the option and what it accepts, and the
// process exits 2 (main.ts). Its own module so the option parsers (args.ts and the option groups it
// reads) can all throw it without importing one another.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
