// vega-lite is an ES module and this package compiles to CommonJS, so its types are imported in
// ESM resolution mode. The import-type form keeps that in one place (Biome rejects the attribute
// on an `import type` statement, which TypeScript accepts).

/** A vega-lite chart specification. */
export type TopLevelSpec = import('vega-lite', { with: { 'resolution-mode': 'import' }}).TopLevelSpec;
/** vega-lite's configuration (the charts' theme). */
export type Config = import('vega-lite', { with: { 'resolution-mode': 'import' }}).Config;
