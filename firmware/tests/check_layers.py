#!/usr/bin/env python3
"""Fails when firmware/core has a dependency circle.

Two graphs over the core's units (a unit is foo.c + foo.h):
- includes: unit A → unit B when foo.c or foo.h of A includes "B.h";
- symbols:  unit A → unit B when A's object file uses a symbol B's defines
  (catches a call through a declaration placed in some third header).
Either graph with a cycle fails, naming it, e.g. core → dispatch → core.

Usage: check_layers.py CORE_DIR OBJECT... | check_layers.py --self-test
Exit 0 when both graphs are acyclic, 1 on a cycle."""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.MULTILINE)


def include_graph(core_dir):
    files = sorted(Path(core_dir).glob("*.[ch]"))
    units = {f.stem for f in files}
    graph = {u: set() for u in units}
    for f in files:
        for target in INCLUDE.findall(f.read_text()):
            if target in units and target != f.stem:
                graph[f.stem].add(target)
    return graph


def symbol_graph(objects, nm="nm"):
    defined, used = {}, {}
    for obj in objects:
        unit = Path(obj).stem
        used[unit] = set()
        out = subprocess.run([nm, "-P", obj], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            name, kind = parts[0], parts[1]
            if kind == "U":
                used[unit].add(name)
            elif kind.isupper():
                defined[name] = unit
    return {u: {defined[s] for s in syms if s in defined and defined[s] != u} for u, syms in used.items()}


def find_cycle(graph):
    """A list of units forming a cycle (first repeated at the end), or None."""
    state = {}  # unit → 1 on the current path, 2 done

    def visit(u, path):
        state[u] = 1
        path.append(u)
        for v in sorted(graph.get(u, ())):
            if state.get(v) == 1:
                return path[path.index(v):] + [v]
            if v not in state:
                found = visit(v, path)
                if found:
                    return found
        path.pop()
        state[u] = 2
        return None

    for u in sorted(graph):
        if u not in state:
            found = visit(u, [])
            if found:
                return found
    return None


def check(core_dir, objects):
    ok = True
    for what, graph in (("include", include_graph(core_dir)), ("symbol", symbol_graph(objects))):
        cycle = find_cycle(graph)
        if cycle:
            print(f"firmware/core {what} circle: {' → '.join(cycle)}", file=sys.stderr)
            ok = False
    return ok


def self_test():
    """The check must catch both kinds of circle and pass a layered tree."""
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "a.h").write_text("void a(void);\n")
        (d / "b.h").write_text("void b(void);\n")
        (d / "all.h").write_text("void a(void);\nvoid b(void);\n")
        (d / "a.c").write_text('#include "all.h"\nvoid a(void) { b(); }\n')
        (d / "b.c").write_text('#include "all.h"\nvoid b(void) {}\n')
        objs = []
        for unit in ("a", "b"):
            subprocess.run(["cc", "-c", str(d / f"{unit}.c"), "-o", str(d / f"{unit}.o")], check=True)
            objs.append(str(d / f"{unit}.o"))
        assert find_cycle(include_graph(d)) is None and find_cycle(symbol_graph(objs)) is None, "layered flagged"
        # b calls back into a through the shared header: a symbol circle only.
        (d / "b.c").write_text('#include "all.h"\nvoid b(void) { a(); }\n')
        subprocess.run(["cc", "-c", str(d / "b.c"), "-o", objs[1]], check=True)
        assert find_cycle(include_graph(d)) is None
        assert find_cycle(symbol_graph(objs)) == ["a", "b", "a"], "symbol circle missed"
        (d / "a.h").write_text('#include "b.h"\n')
        (d / "b.h").write_text('#include "a.h"\n')
        assert find_cycle(include_graph(d)) == ["a", "b", "a"], "include circle missed"
    print("check_layers self-test: ok")


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        self_test()
    elif len(sys.argv) >= 3:
        if not check(sys.argv[1], sys.argv[2:]):
            sys.exit(1)
        print(f"firmware/core: no include or symbol circle ({len(sys.argv) - 2} objects)")
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
