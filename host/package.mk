# The npm package (docs/package.md): compiled JavaScript in dist/ (tsc with
# tsconfig.build.json; `npm pack` runs `make dist` first), shipped with the module
# builds, the dashboard bundle and the firmware sources (package.json "files").
# test-package packs it, installs the tarball into an empty folder and runs the
# installed `qiot` there (scripts/test-package.sh).

DIST_MAIN := dist/host/src/cli/main.js
HOST_SOURCES := $(shell find host/src -name '*.ts' -not -name '*.test.ts') host/src/pool/bootstrap.mjs

.PHONY: dist test-package

dist: $(DIST_MAIN) runtime dashboard

$(DIST_MAIN): $(HOST_SOURCES) tsconfig.json tsconfig.build.json package.json $(NODE_STAMP)
	rm -rf dist
	npx tsc -p tsconfig.build.json
	cp host/src/pool/bootstrap.mjs dist/host/src/pool/

test-package: dist firmware
	scripts/test-package.sh
