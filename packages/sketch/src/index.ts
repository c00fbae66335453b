// @wardwatch/sketch — one job: the DDSketch settings (relative accuracy, bin cap) and the format of
// the sketches rollups store. The processor builds sketches with it; the store's readers (server,
// SLOs, evidence) decode, merge and read quantiles with it, without depending on the processor.
export { BIN_LIMIT, RELATIVE_ACCURACY, newSketch, sketchBinValue, sketchBinKey } from './sketch.ts';
export { sketchOf, acceptValue, acceptValues, subtractFromSketch, mergeSketch } from './sketch-build.ts';
export { encodeSketch, encodeValues } from './sketch-encode.ts';
export { decodeSketch } from './sketch-decode.ts';
export { quantile, quantileRank, quantilesInto, sketchQuantiles } from './sketch-quantiles.ts';
export { sketchBins, walkSketchBins, type SketchBins, type SketchBinVisitor } from './sketch-bins.ts';
export { mergeRollups, mergeRollupRecords, mergeStoredSketches, type MergedRollup } from './rollup-merge.ts';
