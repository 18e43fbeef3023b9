"""The bench circuit's gate list (bench/circuit.ts, sent as JSON) applied as PennyLane operations:
shared by the parameter-shift peers (pennylane_worker.py) and the exact-gradient peers (exact_worker.py)."""


def apply_gates(qml, gates, theta):
    for gate in gates:
        if gate["kind"] == "RY":
            qml.RY(theta[gate["param"]], wires=gate["wire"])
        elif gate["kind"] == "RZ":
            qml.RZ(theta[gate["param"]], wires=gate["wire"])
        elif gate["kind"] == "CZ":
            qml.CZ(wires=gate["wires"])
        else:
            raise ValueError(f"unknown gate kind {gate['kind']!r}")
