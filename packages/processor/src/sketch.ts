// Moved to @wardwatch/sketch (the DDSketch settings and the stored sketch format, shared with the
// store's readers); this file re-exports it for the processor's own modules until they import it.
export * from '@wardwatch/sketch';
