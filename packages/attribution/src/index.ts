// @wardwatch/attribution — tells the network, the device and the application apart.
export { attribute, culpritsOf, poissonTail, DEFAULT_ATTRIBUTION, type AttributionOptions } from './attribute.ts';
export { attributionInputChange, attributionInputChanged } from './attribution-inputs.ts';
export { LiveAttribution, WholeEstateAttribution, type Attributor } from './live-attribution.ts';
export { median, lowerMedian, mad, standsOut, type OutlierRule } from './robust.ts';
