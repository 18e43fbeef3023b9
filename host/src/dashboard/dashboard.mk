# The dashboard page, bundled by esbuild into build/dashboard/ (served by
# `qiot dashboard`), and Debian's Chromium for its browser tests.

DASHBOARD_SRC := $(wildcard host/src/dashboard/page/*) host/src/dashboard/assets.ts host/src/dashboard/limits.ts \
	host/src/dashboard/runs.ts host/src/stats/descriptive.ts

.PHONY: dashboard chromium

dashboard: $(BUILD)/dashboard/app.js

$(BUILD)/dashboard/app.js: $(DASHBOARD_SRC) $(NODE_STAMP)
	npx tsx host/src/dashboard/assets.ts $(BUILD)/dashboard

# The browser tests drive the system Chromium through playwright-core (no browser download).
chromium:
	@scripts/need-debian.sh chromium chromium
