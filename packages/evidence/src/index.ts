// @wardwatch/evidence — evidence for funding bids, computed from the stored rollups.
export { BinCounts, binsOf } from './bin-counts.ts';
export { logonTimeLost, appTimeLost, screensPerCheck, DEFAULT_APP_VOLUME, type LogonTimeLost, type AppTimeLost, type AppVolume } from './time-lost.ts';
export { compareBeforeAfter, BEFORE_AFTER_FIGURES, type ChangePoint, type BeforeAfterOptions, type BeforeAfterFigure, type BeforeAfterFigureName, type BeforeAfterResult } from './before-after.ts';
