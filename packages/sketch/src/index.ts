// @wardwatch/sketch — one job: the DDSketch settings (relative accuracy, bin cap) and the format of
// the sketches rollups store. The processor builds sketches with it; the store's readers (server,
// SLOs, evidence) decode, merge and read quantiles with it, without depending on the processor.
export {
  BIN_LIMIT,
  RELATIVE_ACCURACY,
  newSketch,
  sketchOf,
  acceptValues,
  encodeSketch,
  encodeValues,
  decodeSketch,
  subtractFromSketch,
  quantile,
  quantilesInto,
  sketchQuantiles,
  mergeSketch,
  sketchBins,
  walkSketchBins,
  sketchBinValue,
  sketchBinKey,
  type SketchBins,
  type SketchBinVisitor,
} from './sketch.ts';
export { mergeRollups, mergeRollupRecords, mergeStoredSketches, type MergedRollup } from './rollup-merge.ts';
