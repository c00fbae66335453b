// @wardwatch/attribution — tells the network, the device and the application apart.
export { attribute, culpritsOf, poissonTail, DEFAULT_ATTRIBUTION, type AttributionOptions } from './attribute.ts';
export { attributionInputChange, attributionInputChanged } from './attribution-inputs.ts';
export { WholeEstateAttribution, type Attributor } from './attributor.ts';
export { LiveAttribution } from './live-attribution.ts';
export { median, lowerMedian, mad, standsOut, type OutlierRule } from './robust.ts';
