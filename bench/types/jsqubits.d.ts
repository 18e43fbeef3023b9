// The part of jsqubits 2.x (untyped ESM) that the JavaScript peer uses.
declare module 'jsqubits' {
  interface Complex {
    real: number;
    imaginary: number;
  }
  interface QStateComponent {
    index: string;
    amplitude: Complex;
    asNumber(): number;
  }
  interface QState {
    numBits(): number;
    rotateY(targetBits: number, angle: number): QState;
    rotateZ(targetBits: number, angle: number): QState;
    controlledZ(controlBits: number, targetBits: number): QState;
    each(callback: (component: QStateComponent) => unknown): void;
  }
  function Qubits(bitString: string): QState;
  export default Qubits;
}
