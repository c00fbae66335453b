// @wardwatch/processor — the stream processor core (see CONTRACT.md while it is being built).
export {};
