"""Exact-gradient peers for `make bench` (issue 14): each tool with the exact gradient its
users would pick for training. One JSON request per stdin line, one answer per stdout line,
like pennylane_worker.py; the harness sets the thread environment before starting it.

Methods (the `method` field of a request):
  jax        PennyLane default.qubit, backprop, JAX interface (float64); jax.value_and_grad
             compiled once with jax.jit, the SGD update a jax.numpy expression.
  backprop   PennyLane default.qubit, backprop, autograd interface; GradientDescentOptimizer.
  lightning  PennyLane lightning.qubit, diff_method="adjoint"; GradientDescentOptimizer.
  qiskit     Qiskit: the loss from qiskit.primitives.StatevectorEstimator, the gradient from
             qiskit_algorithms.gradients.ReverseEstimatorGradient (reverse mode on a
             statevector: Qiskit's exact gradient without a shift rule); plain SGD update."""
import importlib.metadata
import json
import platform
import time

import numpy
from json_lines import serve, time_steps
from pennylane_gates import apply_gates


class PennylanePeer:
    """default.qubit backprop or lightning.qubit adjoint, autograd interface."""

    def __init__(self, device_name, diff_method, qubits, gates):
        import pennylane as qml

        self.qml = qml
        device = qml.device(device_name, wires=qubits)

        @qml.qnode(device, diff_method=diff_method)
        def expval_z0(theta):
            apply_gates(qml, gates, theta)
            return qml.expval(qml.PauliZ(0))

        # C = 1 − p(q0 = 0) = (1 − ⟨Z₀⟩) / 2 (docs/abi.md)
        self.cost = lambda theta: (1 - expval_z0(theta)) / 2

    def loss_and_gradient(self, theta):
        from pennylane import numpy as pnp

        t = pnp.array(theta, requires_grad=True)
        return float(self.cost(t)), [float(g) for g in self.qml.grad(self.cost)(t)]

    def stepper(self, theta, lr):
        from pennylane import numpy as pnp

        optimizer = self.qml.GradientDescentOptimizer(lr)
        state = {"theta": pnp.array(theta, requires_grad=True)}

        def step():
            state["theta"], loss = optimizer.step_and_cost(self.cost, state["theta"])
            return loss

        return step


class JaxPeer:
    def __init__(self, qubits, gates):
        import jax

        jax.config.update("jax_enable_x64", True)
        import pennylane as qml

        device = qml.device("default.qubit", wires=qubits)

        @qml.qnode(device, interface="jax", diff_method="backprop")
        def expval_z0(theta):
            apply_gates(qml, gates, theta)
            return qml.expval(qml.PauliZ(0))

        self.jnp = jax.numpy
        self.value_and_grad = jax.jit(jax.value_and_grad(lambda theta: (1 - expval_z0(theta)) / 2))
        self.compile_seconds = None

    def _call(self, theta):
        if self.compile_seconds is None:
            start = time.perf_counter()
            loss, gradient = self.value_and_grad(theta)
            gradient.block_until_ready()
            self.compile_seconds = time.perf_counter() - start
            return loss, gradient
        return self.value_and_grad(theta)

    def loss_and_gradient(self, theta):
        loss, gradient = self._call(self.jnp.array(theta))
        return float(loss), [float(g) for g in gradient]

    def stepper(self, theta, lr):
        state = {"theta": self.jnp.array(theta)}

        def step():
            loss, gradient = self._call(state["theta"])
            state["theta"] = state["theta"] - lr * gradient
            state["theta"].block_until_ready()
            return loss

        return step


class QiskitPeer:
    def __init__(self, qubits, gates):
        from qiskit.circuit import ParameterVector, QuantumCircuit
        from qiskit.primitives import StatevectorEstimator
        from qiskit.quantum_info import SparsePauliOp
        from qiskit_algorithms.gradients import ReverseEstimatorGradient

        params = ParameterVector("theta", 1 + max(g["param"] for g in gates if "param" in g))
        circuit = QuantumCircuit(qubits)
        for gate in gates:
            if gate["kind"] == "RY":
                circuit.ry(params[gate["param"]], gate["wire"])
            elif gate["kind"] == "RZ":
                circuit.rz(params[gate["param"]], gate["wire"])
            else:
                circuit.cz(*gate["wires"])
        self.circuit = circuit
        # Qiskit orders qubits little-endian: the last character is qubit 0.
        self.observable = SparsePauliOp("I" * (qubits - 1) + "Z")
        self.estimator = StatevectorEstimator()
        self.gradient = ReverseEstimatorGradient()

    def _loss_and_gradient(self, theta):
        values = numpy.asarray(theta, dtype=float)
        expval = float(self.estimator.run([(self.circuit, self.observable, values)]).result()[0].data.evs)
        d_expval = self.gradient.run([self.circuit], [self.observable], [values]).result().gradients[0]
        return (1 - expval) / 2, -numpy.asarray(d_expval) / 2

    def loss_and_gradient(self, theta):
        loss, gradient = self._loss_and_gradient(theta)
        return loss, [float(g) for g in gradient]

    def stepper(self, theta, lr):
        state = {"theta": numpy.asarray(theta, dtype=float)}

        def step():
            loss, gradient = self._loss_and_gradient(state["theta"])
            state["theta"] = state["theta"] - lr * gradient
            return loss

        return step


def build_peer(method, qubits, gates):
    if method == "jax":
        return JaxPeer(qubits, gates)
    if method == "backprop":
        return PennylanePeer("default.qubit", "backprop", qubits, gates)
    if method == "lightning":
        return PennylanePeer("lightning.qubit", "adjoint", qubits, gates)
    if method == "qiskit":
        return QiskitPeer(qubits, gates)
    raise ValueError(f"unknown method {method!r}")


_peers = {}
_steppers = {}


def peer_for(request):
    key = (request["method"], request["qubits"], json.dumps(request["gates"]))
    if key not in _peers:
        if any(k[1] != request["qubits"] for k in _peers):
            _peers.clear()  # one size at a time: a 20-qubit peer holds large states and compilations
            _steppers.clear()
        _peers[key] = build_peer(request["method"], request["qubits"], request["gates"])
    return key, _peers[key]


def versions():
    found = {"python": platform.python_version(), "numpy": numpy.__version__}
    for distribution in ("pennylane", "pennylane_lightning", "jax", "jaxlib", "qiskit", "qiskit-algorithms"):
        try:
            found[distribution] = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            found[distribution] = None
    return found


def handle(request):
    op = request["op"]
    if op == "versions":
        return versions()
    key, peer = peer_for(request)
    if op == "loss_and_gradient":
        loss, gradient = peer.loss_and_gradient(request["theta"])
        answer = {"loss": loss, "gradient": gradient}
        if isinstance(peer, JaxPeer):
            answer["compile_seconds"] = peer.compile_seconds
        return answer
    if op == "time_steps":
        # The stepper keeps θ between samples, like the other contenders' stateful steps.
        if key not in _steppers:
            _steppers[key] = peer.stepper(request["theta"], request["lr"])
        return time_steps(_steppers[key], request["min_seconds"], request["max_steps"])
    raise ValueError(f"unknown op {op!r}")


if __name__ == "__main__":
    serve(handle)
