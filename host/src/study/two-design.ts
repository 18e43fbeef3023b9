// Exact variances of ∂C/∂θ when the gates after θ form a unitary 2-design (McClean et al.
// 2018), d = 2ⁿ. With H₀ the traceless part of the cost observable, G = P/2 the generator of
// θ's rotation and ψ the state it acts on, Haar averages give
//   Var[∂C/∂θ] = 2 Tr(H₀²) / (d² − 1) · (1/4 − E[⟨ψ|G|ψ⟩²]).
// Local cost C = 1 − p(q₀ = 0): Tr H₀² = d/4; global cost C = 1 − p(0…0): Tr H₀² = (d − 1)/d.
// What θ acts on sets E[⟨G⟩²]:
// - 'mcclean-first': θ₁ of a McClean circuit, a random RX/RY/RZ on RY(π/4)|0⟩: ⟨G⟩² = 1/8,
//   0, 1/8 → 1/12, giving the d/(12(d² − 1)) (local) and 1/(3d(d + 1)) (global);
// - 'hea-first': θ₁ of hea, RY on |0⟩: ⟨Y⟩ = 0 → 0, i.e. 1.5× the McClean values.

export type TwoDesignCost = 'local' | 'global';
export type TwoDesignParameter = 'mcclean-first' | 'hea-first';

const GENERATOR_MEAN_SQUARE: Record<TwoDesignParameter, number> = { 'mcclean-first': 1 / 12, 'hea-first': 0 };

export function twoDesignVariance(cost: TwoDesignCost, qubits: number, parameter: TwoDesignParameter = 'mcclean-first'): number {
  const d = 2 ** qubits;
  const traceH0Squared = cost === 'local' ? d / 4 : (d - 1) / d;
  return ((2 * traceH0Squared) / (d * d - 1)) * (1 / 4 - GENERATOR_MEAN_SQUARE[parameter]);
}

/** Which formula applies to θ₁ of an ansatz (the ansätze whose θ₁ the experiments differentiate). */
export function firstParameterKind(ansatz: 'mcclean' | 'hea'): TwoDesignParameter {
  return ansatz === 'mcclean' ? 'mcclean-first' : 'hea-first';
}
