/** One labelled sample; `x` are raw feature values before scaling, or angles after. */
export interface Sample {
  x: number[];
  /** +1 or −1 (docs/abi.md). */
  y: 1 | -1;
}

/** A two-class dataset ready for the module: features are angles in [0, π]. */
export interface Dataset {
  name: 'iris' | 'synthetic';
  /** Human-readable provenance, e.g. which Iris species are ±1. */
  description: string;
  features: number;
  train: Sample[];
  test: Sample[];
}
