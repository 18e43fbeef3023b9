// Reference points for the classification tasks: chance (always predicting the training
// set's majority class) and a classical baseline, logistic regression (ml-logistic-regression,
// batch gradient ascent, with an intercept column) on the same angle features the circuits get.
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import type { Dataset, Sample } from '../data/types.ts';

export interface ClassicalBaseline {
  chanceTrainAccuracy: number;
  chanceTestAccuracy: number;
  logisticTrainAccuracy: number;
  logisticTestAccuracy: number;
  /** Mean cross-entropy of the logistic model's probabilities on the test set. */
  logisticTestXent: number;
}

const design = (samples: readonly Sample[]) => new Matrix(samples.map((s) => [1, ...s.x]));

export function classicalBaseline(dataset: Dataset): ClassicalBaseline {
  const positives = dataset.train.filter((s) => s.y === 1).length;
  const majority: 1 | -1 = positives * 2 >= dataset.train.length ? 1 : -1;
  const share = (samples: readonly Sample[], pred: (s: Sample, i: number) => number) =>
    samples.filter((s, i) => pred(s, i) === s.y).length / samples.length;

  const model = new LogisticRegression({ numSteps: 20_000, learningRate: 5e-3 });
  model.train(design(dataset.train), Matrix.columnVector(dataset.train.map((s) => (s.y === 1 ? 1 : 0))));
  // Class 0 is y = −1, so classifier 0 scores P(not class 0) = P(y = +1).
  const pPlus = (samples: readonly Sample[]) => model.classifiers[0].testScores(design(samples));
  const trainP = pPlus(dataset.train);
  const testP = pPlus(dataset.test);
  const clip = (p: number) => Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  return {
    chanceTrainAccuracy: share(dataset.train, () => majority),
    chanceTestAccuracy: share(dataset.test, () => majority),
    logisticTrainAccuracy: share(dataset.train, (_, i) => (trainP[i] >= 0.5 ? 1 : -1)),
    logisticTestAccuracy: share(dataset.test, (_, i) => (testP[i] >= 0.5 ? 1 : -1)),
    logisticTestXent:
      dataset.test.reduce((s, x, i) => s - Math.log(x.y === 1 ? clip(testP[i]) : 1 - clip(testP[i])), 0) / dataset.test.length,
  };
}
