# SPDX-License-Identifier: GPL-3.0-or-later
# The two commands: `make run` and `make test`. `make bench` prints the benchmarks.
BUILD      ?= _build
ASAN_BUILD ?= _build-asan
XDG_DATA_HOME ?= $(HOME)/.local/share
DATABASE   ?= $(XDG_DATA_HOME)/assay/assay.db
MESON_OPTS := -Dwerror=true
RUN_ENV    := GSETTINGS_SCHEMA_DIR=$(CURDIR)/$(BUILD)/data ASSAY_LOCALEDIR=$(CURDIR)/$(BUILD)/po \
              ASSAY_DEMO_DIR=$(CURDIR)/$(BUILD)/data/demo

.PHONY: all deps build run test bench demo clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# the demo centre is built on first run only; `assayctl seed --force` rebuilds it
demo: build
	@if [ ! -e "$(DATABASE)" ]; then \
	  echo "Creating the demo contact centre in $(DATABASE)"; \
	  $(RUN_ENV) $(BUILD)/src/cli/assayctl --database "$(DATABASE)" seed; \
	fi

run: demo
	$(RUN_ENV) $(BUILD)/src/assay --database "$(DATABASE)"

test: deps $(BUILD)/build.ninja
	@scripts/run-tests.sh $(BUILD) $(ASAN_BUILD)

bench: build
	@scripts/run-bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
