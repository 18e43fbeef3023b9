"""Compiles every C file of the ESP-IDF project (main/, the core, wasm3)
against a real ESP-IDF tree's headers, without installing ESP-IDF
(make check-esp32-idf IDF_PATH=...; firmware/ports/esp32/README.md).

ESP-IDF's toolchains cannot be installed where qiot is developed, but its
sources can be read. This does what `idf.py build` does up to the object
files, for one target (esp32c3 by default, the only RISC-V one Debian's
cross compiler serves):

1. sdkconfig.h from our sdkconfig.defaults[.<target>] and every component's
   Kconfig, with Espressif's kconfgen (esp-idf-kconfig from PyPI); every
   value our defaults set must come out as set (kconfgen silently drops a
   symbol it does not know or cannot select);
2. each component's CMakeLists.txt read by cmake -P with ESP-IDF's build functions
   replaced by recorders and no-ops (idf_component_info.cmake): sources, include directories,
   requirements, and our components' compile options;
3. the include path of main/, qiot_core and wasm3 as ESP-IDF builds it:
   their own directories, plus the public ones of what they require,
   transitively, plus ESP-IDF's common requirements;
4. every source of those three components compiled to an object with the
   flags ESP-IDF's build.cmake sets by default (read from the tree: -std,
   -Wall, -Werror or -Werror=all, ...), the -O2 of
   CONFIG_COMPILER_OPTIMIZATION_PERF, the GCC options of ESP-IDF's root
   CMakeLists.txt, and -Werror on our own files. wasm3 keeps its component's
   -Wno-error: its warnings are listed, not fatal.

Exit codes: 0 all compiled, 1 a compile or config check failed, 2 usage
(no ESP-IDF tree, missing tool).
"""

import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

PORT = pathlib.Path(__file__).resolve().parent.parent
REPO = PORT.parent.parent.parent
INFO_SCRIPT = pathlib.Path(__file__).resolve().parent / "idf_component_info.cmake"
OWN_COMPONENTS = {"main": PORT / "main", "qiot_core": PORT / "components/qiot_core",
                  "wasm3": PORT / "components/wasm3"}
# Our files: every warning is an error, stricter than ESP-IDF's own -Werror
# (which spares unused-*, deprecated-declarations and -Wextra's), so that what
# a later ESP-IDF might turn into an error shows now. wasm3 opts out in its
# CMakeLists.txt (-Wno-error), which this check honours.
WERROR_COMPONENTS = {"main", "qiot_core"}
# ESP-IDF's toolchain file for each target this check can serve with Debian's
# riscv64-unknown-elf-gcc (tools/cmake/toolchain-<target>.cmake, toolchain_flags.cmake).
TARGET_ARCH_FLAGS = {"esp32c3": ["-march=rv32imc_zicsr_zifencei", "-mabi=ilp32"]}
# GCC options ESP-IDF's root CMakeLists.txt adds for every config (v5.1-v6.x).
IDF_GCC_OPTIONS = ["-fstrict-volatile-bitfields", "-fno-jump-tables", "-fno-tree-switch-conversion"]


def fail_usage(message):
    print(f"idf-compile-check: {message}", file=sys.stderr)
    sys.exit(2)


def idf_version(idf):
    text = (idf / "tools/cmake/version.cmake").read_text()
    parts = [re.search(rf"set\(IDF_VERSION_{p} (\d+)\)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


def idf_components(idf):
    comps = {p.name: p for p in sorted((idf / "components").iterdir()) if (p / "CMakeLists.txt").is_file()}
    comps.update(OWN_COMPONENTS)
    return comps


def generate_sdkconfig(idf, target, comps, out, python):
    """kconfgen over every component's Kconfig, as tools/cmake/kconfig.cmake runs it."""
    config = out / "config"
    config.mkdir(parents=True, exist_ok=True)
    kconfigs = [str(d / "Kconfig") for d in comps.values() if (d / "Kconfig").is_file()]
    projbuilds = [str(d / "Kconfig.projbuild") for d in comps.values() if (d / "Kconfig.projbuild").is_file()]
    renames = [str(f) for d in comps.values() for f in (d / "sdkconfig.rename", d / f"sdkconfig.rename.{target}")
               if f.is_file()]
    (out / "kconfigs.in").write_text("\n".join(f'source "{k}"' for k in kconfigs))
    (out / "kconfigs_projbuild.in").write_text("\n".join(f'source "{k}"' for k in projbuilds))
    env = {"COMPONENT_KCONFIGS": ";".join(kconfigs), "COMPONENT_KCONFIGS_PROJBUILD": ";".join(projbuilds),
           "COMPONENT_SDKCONFIG_RENAMES": ";".join(renames), "IDF_TARGET": target, "IDF_TOOLCHAIN": "gcc",
           "IDF_VERSION": idf_version(idf), "IDF_ENV_FPGA": "", "IDF_PATH": str(idf),
           "COMPONENT_KCONFIGS_SOURCE_FILE": str(out / "kconfigs.in"),
           "COMPONENT_KCONFIGS_PROJBUILD_SOURCE_FILE": str(out / "kconfigs_projbuild.in"),
           "IDF_MINIMAL_BUILD": "n", "IDF_INIT_VERSION": idf_version(idf)}
    (out / "config.env").write_text(json.dumps(env, indent=1))
    defaults = [PORT / "sdkconfig.defaults", PORT / f"sdkconfig.defaults.{target}"]
    sdkconfig = out / "sdkconfig"
    sdkconfig.unlink(missing_ok=True)
    cmd = [python, "-m", "kconfgen", "--list-separator=semicolon", "--kconfig", str(idf / "Kconfig"),
           "--sdkconfig-rename", str(idf / "sdkconfig.rename"), "--config", str(sdkconfig),
           "--env-file", str(out / "config.env"),
           "--output", "header", str(config / "sdkconfig.h"), "--output", "cmake", str(config / "sdkconfig.cmake"),
           "--output", "config", str(sdkconfig)]
    for d in defaults:
        if d.is_file():
            cmd += ["--defaults", str(d)]
    run = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "KCONFIG_REPORT_VERBOSITY": "quiet"})
    if run.returncode != 0:
        raise RuntimeError(f"kconfgen failed:\n{run.stdout}{run.stderr}")
    declared = set()
    for k in kconfigs + projbuilds + [str(idf / "Kconfig")]:
        declared |= declared_symbols(pathlib.Path(k))
    return config, check_defaults_applied(defaults, sdkconfig, declared)


def declared_symbols(kconfig, seen=None):
    """Symbols a Kconfig file (and the files it sources by relative path) declares."""
    seen = seen if seen is not None else set()
    if kconfig in seen or not kconfig.is_file():
        return set()
    seen.add(kconfig)
    text = kconfig.read_text(errors="replace")
    names = set(re.findall(r"^\s*(?:menu)?config\s+(\w+)", text, re.M))
    for src in re.findall(r'^\s*(?:o|r|or)?source\s+"([^"$]+)"', text, re.M):
        names |= declared_symbols(kconfig.parent / src, seen)
    return names


def check_defaults_applied(defaults, sdkconfig, declared):
    """Every CONFIG_X=v of our defaults files must come out in the generated
    sdkconfig as set, unless ESP-IDF declares X with dependencies this target
    does not meet (e.g. the second core's idle-task watchdog on a single-core
    chip): then it is listed as not applicable."""
    got = {}
    for line in sdkconfig.read_text().splitlines():
        if m := re.match(r"(CONFIG_\w+)=(.*)", line):
            got[m.group(1)] = m.group(2)
        elif m := re.match(r"# (CONFIG_\w+) is not set", line):
            got[m.group(1)] = "n"
    problems = []
    for d in defaults:
        if not d.is_file():
            continue
        for line in d.read_text().splitlines():
            if m := re.match(r"(CONFIG_\w+)=(.*)", line.strip()):
                name, want = m.groups()
                if name not in got and name[len("CONFIG_"):] in declared:
                    print(f"sdkconfig: {d.name}: {name} does not apply to this target (its dependencies are unmet)")
                elif got.get(name) != want:
                    problems.append(f"{d.name}: {name}={want} came out as {got.get(name, '(not declared)')}")
    return problems


def component_info(name, comp_dir, idf, target, out, wasm3_dir, filename="CMakeLists.txt"):
    info_dir = out / "components"
    info_dir.mkdir(exist_ok=True)
    stem = name if filename == "CMakeLists.txt" else f"{name}.project_include"
    info_file = info_dir / f"{stem}.tsv"
    run = subprocess.run(
        ["cmake", f"-DCOMPONENT_DIR={comp_dir}", f"-DOUT={info_file}", f"-DIDF_PATH={idf}",
         f"-DIDF_TARGET={target}", f"-DSDKCONFIG_CMAKE={out / 'config/sdkconfig.cmake'}",
         f"-DFILE={filename}", f"-DQIOT_WASM3_DIR={wasm3_dir}", "-P", str(INFO_SCRIPT)],
        capture_output=True, text=True, cwd=comp_dir)
    info = {}
    if info_file.is_file():
        for line in info_file.read_text().splitlines():
            key, _, value = line.partition("\t")
            info.setdefault(key, []).append(value)
    info["error"] = run.stderr.strip() if run.returncode != 0 else ""
    return info


def common_requires(idf, arch):
    """ESP-IDF's __COMPONENT_REQUIRES_COMMON for chip targets (tools/cmake/build.cmake),
    to which the build appends the target's architecture component (riscv)."""
    text = (idf / "tools/cmake/build.cmake").read_text()
    lists = re.findall(r"set\(requires_common ([^)]*)\)", text)
    chip = [lst for lst in lists if "cxx" in lst.split()]
    if not chip:
        raise RuntimeError("no requires_common for chip targets in tools/cmake/build.cmake")
    return chip[-1].split() + [arch]


def default_flags(idf):
    """The -options and definitions of __build_set_default_build_specifications."""
    text = (idf / "tools/cmake/build.cmake").read_text()
    body = re.search(r"function\(__build_set_default_build_specifications\)(.*?)\nendfunction", text, re.S).group(1)
    body = re.sub(r"#[^\n]*", "", body)
    options = re.findall(r'"(-[^"]+)"', body)
    definitions = re.findall(r'"(_[A-Z_]+)"', body)
    if not any(o.startswith("-std=") for o in options):
        # v5.1 picks -std in __build_set_lang_version: gnu17 for chip targets.
        chip = re.search(r"set\(c_std (gnu\d+)\)", text)
        options.append(f"-std={chip.group(1) if chip else 'gnu17'}")
    return [o for o in options if not o.startswith("-std=gnu++")], definitions


def supported_std(cc, std):
    """ESP-IDF v6 asks for -std=gnu23, which GCC < 14 calls gnu2x."""
    probe = subprocess.run([cc, f"-std={std}", "-E", "-x", "c", os.devnull], capture_output=True)
    return std if probe.returncode == 0 else std.replace("23", "2x")


def public(key, name, infos, common, seen):
    """What component `name` passes on to those requiring it (its INCLUDE_DIRS or
    PUBLIC_OPTIONS), with that of its public requirements, transitively; every
    component but the common ones publicly requires the common ones."""
    if name in seen or name not in infos:
        return []
    seen.add(name)
    info = infos[name]
    items = list(info.get(key, []))
    for req in info.get("REQUIRES", []) + ([] if name in common else common):
        items += public(key, req, infos, common, seen)
    return items


def libc_compat(out, picolibc):
    """Headers generated between ESP-IDF's esp_libc/newlib platform_include and
    Debian's C library, for the two places where Debian's older library lacks
    what ESP-IDF's toolchains' newer one has and ESP-IDF's headers rely on:
    - newlib: Debian has 3.3, ESP-IDF v5.x toolchains 4.x. 3.3 declares
      `struct _reent *const _global_impure_ptr`; ESP-IDF's sys/reent.h (from
      v5.2) redeclares it without the const, as 4.x does: 3.3's is renamed away.
    - picolibc: Debian has 1.8.0, whose stdio.h does not define ssize_t (later
      picolibc releases do, as POSIX asks); ESP-IDF v6.1's esp_libc stdio.h uses
      it: sys/types.h, which defines it, is included first."""
    compat = out / ("picolibc-compat" if picolibc else "newlib-compat")
    (compat / "sys").mkdir(parents=True, exist_ok=True)
    if picolibc:
        (compat / "stdio.h").write_text(
            "/* Generated by idf_compile_check.py: see libc_compat(). */\n"
            "#include <sys/types.h>\n"
            "#include_next <stdio.h>\n")
    else:
        (compat / "sys/reent.h").write_text(
            "/* Generated by idf_compile_check.py: see libc_compat(). */\n"
            "#define _global_impure_ptr _newlib33_global_impure_ptr\n"
            "#include_next <sys/reent.h>\n"
            "#undef _global_impure_ptr\n")
    return compat


def dedupe(items):
    return list(dict.fromkeys(items))


def compile_jobs(infos, common, base, libc_flags, config_dir, out, cc):
    """One compile command per source of our components, as ESP-IDF would run it."""
    jobs = []
    for name in OWN_COMPONENTS:
        info = infos[name]
        if info["error"]:
            raise RuntimeError(f"{name}/CMakeLists.txt: {info['error']}")
        dirs = list(info.get("INCLUDE_DIRS", [])) + info.get("PRIV_INCLUDE_DIRS", [])
        seen = {name}
        for req in info.get("REQUIRES", []) + info.get("PRIV_REQUIRES", []) + common:
            dirs += public("INCLUDE_DIRS", req, infos, common, seen)
        missing = [r for r in info.get("REQUIRES", []) + info.get("PRIV_REQUIRES", []) + common if r not in infos]
        if missing:
            raise RuntimeError(f"{name} requires {', '.join(missing)}, not a component of this ESP-IDF tree")
        broken = sorted(r for r in seen if infos[r]["error"] and r not in OWN_COMPONENTS)
        if broken:
            print(f"note: {name}: CMakeLists.txt of {', '.join(broken)} not fully read (include dirs may be missing)")
        opts = []
        seen_opts = set()
        for req in info.get("REQUIRES", []) + info.get("PRIV_REQUIRES", []):
            opts += public("PUBLIC_OPTIONS", req, infos, common, seen_opts)
        opts += info.get("PUBLIC_OPTIONS", []) + info.get("PRIVATE_OPTIONS", [])
        flags = (base + opts + (["-Werror"] if name in WERROR_COMPONENTS else [])
                 + [f"-I{config_dir}"] + [f"-I{d}" for d in dedupe(dirs)] + libc_flags)
        for src in info.get("SRCS", []):
            obj = out / "obj" / name / (pathlib.Path(src).stem + ".o")
            jobs.append((name, src, [cc, *flags, "-c", src, "-o", str(obj)]))

    return jobs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--idf-path", default=os.environ.get("IDF_PATH"), help="ESP-IDF tree (default: $IDF_PATH)")
    ap.add_argument("--target", default="esp32c3", help="ESP-IDF target (default esp32c3)")
    ap.add_argument("--out", help="work directory (default build/firmware/esp32-idf-check/<target>)")
    ap.add_argument("--wasm3-dir", default=str(REPO / "build/wasm3/pywasm3-0.5.0/wasm3"))
    ap.add_argument("--cc", default="riscv64-unknown-elf-gcc")
    ap.add_argument("--kconfig-python", default=str(REPO / "build/esp32-kconfig-venv/bin/python"),
                    help="Python with esp-idf-kconfig installed")
    ap.add_argument("--newlib-include", default="/usr/include/newlib",
                    help="newlib headers, for CONFIG_LIBC_NEWLIB (ESP-IDF v5.x; Debian: libnewlib-dev)")
    ap.add_argument("--picolibc-include", default="/usr/lib/picolibc/riscv64-unknown-elf/include",
                    help="picolibc headers, for CONFIG_LIBC_PICOLIBC (ESP-IDF v6 default; Debian: "
                         "picolibc-riscv64-unknown-elf)")
    ap.add_argument("--config-only", action="store_true",
                    help="only generate and check the sdkconfig (any target, Xtensa ones included)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every compile command")
    args = ap.parse_args()

    if not args.idf_path:
        fail_usage("IDF_PATH is not set: give an ESP-IDF tree (IDF_PATH=... or --idf-path)")
    idf = pathlib.Path(args.idf_path).resolve()
    if not (idf / "tools/cmake/version.cmake").is_file() or not (idf / "components").is_dir():
        fail_usage(f"{idf} is not an ESP-IDF tree (no tools/cmake/version.cmake or components/)")
    if args.target not in TARGET_ARCH_FLAGS and not args.config_only:
        fail_usage(f"target {args.target} not supported here (only {', '.join(TARGET_ARCH_FLAGS)}: "
                   "Xtensa targets need Espressif's own compiler)")
    for tool in (args.cc, "cmake"):
        if shutil.which(tool) is None:
            fail_usage(f"{tool} not found")
    for path, what in ((args.kconfig_python, "esp-idf-kconfig's Python"), (args.newlib_include, "newlib headers"),
                       (args.picolibc_include, "picolibc headers"),
                       (args.wasm3_dir, "wasm3 sources (make wasm3-sources)")):
        if not pathlib.Path(path).exists():
            fail_usage(f"{what} not found at {path}")
    # cmake -P runs in each component's directory: paths given relative to here must not be.
    args.wasm3_dir = str(pathlib.Path(args.wasm3_dir).resolve())
    args.kconfig_python = str(pathlib.Path(args.kconfig_python).absolute())
    out = pathlib.Path(args.out or REPO / f"build/firmware/esp32-idf-check/{args.target}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    version = idf_version(idf)
    print(f"ESP-IDF {version} at {idf}, target {args.target}, {args.cc}")

    comps = idf_components(idf)
    config_dir, problems = generate_sdkconfig(idf, args.target, comps, out, args.kconfig_python)
    for p in problems:
        print(f"sdkconfig: {p}")
    if args.config_only:
        print(f"idf-compile-check: ESP-IDF {version} {args.target}: sdkconfig generated, "
              f"{len(problems)} problems (nothing compiled: --config-only)")
        return 1 if problems else 0

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {name: pool.submit(component_info, name, d, idf, args.target, out, args.wasm3_dir)
                   for name, d in comps.items()}
        includes = {name: pool.submit(component_info, name, d, idf, args.target, out, args.wasm3_dir,
                                      "project_include.cmake")
                    for name, d in comps.items() if (d / "project_include.cmake").is_file()}
        infos = {name: f.result() for name, f in futures.items()}
        project_infos = {name: f.result() for name, f in includes.items()}
    wasm3 = infos["wasm3"]
    if wasm3["error"]:
        raise RuntimeError(f"components/wasm3/CMakeLists.txt: {wasm3['error']}")

    common = common_requires(idf, "riscv")
    options, definitions = default_flags(idf)
    options = [f"-std={supported_std(args.cc, o[5:])}" if o.startswith("-std=") else o for o in options]
    global_defs = list(definitions) + ["ESP_PLATFORM", f'IDF_VER="v{version}"']
    global_opts = []
    for info in list(infos.values()) + list(project_infos.values()):
        global_defs += info.get("GLOBAL_COMPILE_DEFINITIONS", [])
        global_opts += info.get("GLOBAL_COMPILE_OPTIONS", []) + info.get("GLOBAL_C_COMPILE_OPTIONS", [])
    sdkconfig_h = (config_dir / "sdkconfig.h").read_text()
    perf = "#define CONFIG_COMPILER_OPTIMIZATION_PERF 1" in sdkconfig_h
    # The C library ESP-IDF's toolchain would bring: newlib up to v5.x,
    # picolibc by default from v6.0 (components/esp_libc/Kconfig, LIBC).
    picolibc = "#define CONFIG_LIBC_PICOLIBC 1" in sdkconfig_h
    libc_flags = ["-isystem", str(libc_compat(out, picolibc)),
                  "-isystem", args.picolibc_include if picolibc else args.newlib_include]
    print(f"C library: {'picolibc' if picolibc else 'newlib'} headers from {libc_flags[-1]}")
    base = (TARGET_ARCH_FLAGS[args.target] + (["-O2"] if perf else ["-Og"]) + options + IDF_GCC_OPTIONS
            + dedupe(global_opts) + [f"-D{d}" for d in dedupe(global_defs)])

    jobs = compile_jobs(infos, common, base, libc_flags, config_dir, out, args.cc)
    (out / "compile_commands.txt").write_text("\n".join(" ".join(cmd) for _, _, cmd in jobs) + "\n")
    for name in OWN_COMPONENTS:
        (out / "obj" / name).mkdir(parents=True, exist_ok=True)

    def compile_one(job):
        name, src, cmd = job
        run = subprocess.run(cmd, capture_output=True, text=True)
        return name, src, cmd, run.returncode, run.stderr

    failed = 0
    warned = {}
    counts = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for name, src, cmd, rc, err in pool.map(compile_one, jobs):
            counts[name] = counts.get(name, 0) + 1
            if args.verbose:
                print(" ".join(cmd))
            if err.strip():
                print(err.rstrip())
            if rc != 0:
                failed += 1
                print(f"FAILED: {name}: {src}")
            elif "warning:" in err:
                warned[name] = warned.get(name, 0) + 1
    summary = ", ".join(f"{n} {counts.get(n, 0)}" for n in OWN_COMPONENTS)
    std = next(o for o in base if o.startswith("-std="))
    print(f"idf-compile-check: ESP-IDF {version} {args.target}: {len(jobs)} C files ({summary}), "
          f"{' '.join(TARGET_ARCH_FLAGS[args.target])}, ESP-IDF's {std} on main/; {failed} failed; "
          f"files with warnings: {warned or 'none'}; sdkconfig problems: {len(problems)}")
    print(f"flags and commands: {out / 'compile_commands.txt'}")
    return 1 if failed or problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print(f"idf-compile-check: {e}", file=sys.stderr)
        sys.exit(1)
