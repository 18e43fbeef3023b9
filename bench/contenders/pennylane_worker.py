"""PennyLane peer for `make bench`: one request per stdin line (JSON), one answer
per stdout line. The Node harness keeps this process alive so that its samples
interleave with the other contenders' (bench/peers/pennylane.ts)."""
import importlib.metadata
import json
import platform

import numpy
import pennylane as qml
import threadpoolctl
from json_lines import serve, time_steps
from pennylane_gates import apply_gates
from pennylane import numpy as pnp


def build_qnode(device_name, qubits, gates, shots, seed):
    device = qml.device(device_name, wires=qubits, seed=seed)

    @qml.qnode(device, diff_method="parameter-shift")
    def expval_z0(theta):
        apply_gates(qml, gates, theta)
        return qml.expval(qml.PauliZ(0))

    qnode = qml.set_shots(expval_z0, shots=shots) if shots > 0 else expval_z0

    def local_cost(theta):
        # C = 1 − p(q0 = 0) = (1 − ⟨Z₀⟩) / 2 (docs/abi.md)
        return (1 - qnode(theta)) / 2

    return local_cost


_cache = {}


def cost_function(request):
    key = (request["device"], request["qubits"], json.dumps(request["gates"]), request["shots"], request["seed"])
    if key not in _cache:
        _cache[key] = build_qnode(request["device"], request["qubits"], request["gates"], request["shots"], request["seed"])
    return _cache[key]


def handle(request):
    op = request["op"]
    if op == "versions":
        versions = {"python": platform.python_version(), "numpy": numpy.__version__}
        for distribution in ("pennylane", "pennylane_lightning"):
            try:
                versions[distribution] = importlib.metadata.version(distribution)
            except importlib.metadata.PackageNotFoundError:
                versions[distribution] = None
        # Which BLAS kernel numpy runs here (OPENBLAS_CORETYPE is unset by the harness).
        versions["blas"] = [
            f"{pool['internal_api']} {pool['version']} {pool.get('architecture', '?')} x{pool['num_threads']}"
            for pool in threadpoolctl.threadpool_info()
        ]
        return versions
    cost = cost_function(request)
    theta = pnp.array(request["theta"], requires_grad=True)
    if op == "loss_and_gradient":
        loss = float(cost(theta))
        gradient = qml.grad(cost)(theta)
        return {"loss": loss, "gradient": [float(g) for g in gradient]}
    if op == "time_steps":
        # Steps of plain gradient descent until min_seconds passed or max_steps ran.
        optimizer = qml.GradientDescentOptimizer(request["lr"])
        state = {"theta": theta}

        def step():
            state["theta"], loss = optimizer.step_and_cost(cost, state["theta"])
            return loss

        return time_steps(step, request["min_seconds"], request["max_steps"])
    raise ValueError(f"unknown op {op!r}")


if __name__ == "__main__":
    serve(handle)
