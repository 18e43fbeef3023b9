// Exact variances of ∂C/∂θ for a circuit whose gates after θ form a unitary 2-design
// (McClean et al. 2018), d = 2ⁿ: local cost C = 1 − p(q₀ = 0): d / (12(d² − 1));
// global cost C = 1 − p(0…0): 1 / (3d(d + 1)).

export function twoDesignVariance(cost: 'local' | 'global', qubits: number): number {
  const d = 2 ** qubits;
  return cost === 'local' ? d / (12 * (d * d - 1)) : 1 / (3 * d * (d + 1));
}
