# Hardware-in-the-loop suite (hil-tests/README.md). Included by the top-level Makefile.
#   make hil                                         every emulated board of the registry (posix, rv32 under QEMU)
#   QIOT_TARGET=rv32 make hil                        one emulated target
#   QIOT_TARGET=/dev/ttyUSB0 QIOT_BAUD=921600 make hil   a real board (flashed with the firmware)
#   QIOT_TARGET=fleet QIOT_BROKER=mqtt://host:1883 make hil   every board of the broker's gateways, in parallel
#     (QIOT_FLEET=ids,board names,tag:T narrows them; QIOT_HIL_JOBS boards at once; hil-tests/fleet-run.ts)
# Every target runs even if an earlier one failed; the exit status reports any failure.
# JUnit results: $(BUILD)/hil/junit-<target>.xml.

# HIL_BOARDS and HIL_BUILD_<board>: the emulated boards of host/src/boards/registry.ts.
include hil-tests/boards.generated.mk

HIL_TARGETS := $(or $(QIOT_TARGET),$(HIL_BOARDS))
HIL_PREREQS := deps runtime $(foreach target,$(HIL_TARGETS),$(HIL_BUILD_$(target)))

.PHONY: hil

hil: $(HIL_PREREQS)
	@mkdir -p $(BUILD)/hil
	@status=0; for target in $(HIL_TARGETS); do \
	  echo "== HIL suite on $$target"; \
	  if [ "$$target" = fleet ]; then npx tsx hil-tests/fleet-run.ts || status=1; \
	  else QIOT_TARGET=$$target npx vitest run --config hil-tests/vitest.config.ts || status=1; fi; \
	done; exit $$status
