# winnow: one-command setup, build, test and demo on Debian 12.
# `make demo` installs what is missing, builds, and runs the main job on a
# generated sample; `make test` builds and runs every test.

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
ifdef CI
CMAKE_FLAGS += -DWINNOW_WERROR=ON
endif

# Debian packages needed to build and test (kept in one place).
DEB_PACKAGES := build-essential cmake ninja-build pkg-config git \
  zlib1g-dev libisal-dev libzstd-dev libxxhash-dev libsimdjson-dev libyaml-cpp-dev \
  libcli11-dev libutf8proc-dev libgtest-dev libgmock-dev libbenchmark-dev zstd \
  libbrotli-dev libuchardet-dev libcld2-dev python3-nltk publicsuffix \
  chromium pybind11-dev python3-dev python3-pip python3-setuptools python3-wheel \
  python3-venv python3-pytest \
  clang libclang-rt-14-dev slurm-wlm

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DIR ?= demo-out

.PHONY: all deps build test demo bench clean sanitize tsan fuzz reliability

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "all build dependencies present"; fi

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)
	@echo "CLI: $(BUILD_DIR)/bin/winnow"

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

demo: deps build
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BUILD_DIR)/bin/winnow gen -n 20000 --seed 7 --bad-records 0.002 -o $(DEMO_DIR)/sample.jsonl --truth $(DEMO_DIR)/truth.jsonl
	$(BUILD_DIR)/bin/winnow run $(DEMO_DIR)/sample.jsonl -o $(DEMO_DIR)/out --config examples/clean_fineweb.yaml
	@echo
	@echo "kept:     $(DEMO_DIR)/out/kept/"
	@echo "removed:  $(DEMO_DIR)/out/removed/ (each with metadata.winnow.removed_by and reason)"
	@echo "rejected: $(DEMO_DIR)/out/rejected/"
	@echo "stats:    $(DEMO_DIR)/out/stats.json"
	@echo "first kept document:"
	@zstdcat $(DEMO_DIR)/out/kept/00000.jsonl.zst | head -n 1 | cut -c 1-600
	@echo
	$(BUILD_DIR)/bin/winnow report $(DEMO_DIR)/out
	@echo "explain one document: $(BUILD_DIR)/bin/winnow explain $(DEMO_DIR)/out gen-0"
	@echo "report:   $(DEMO_DIR)/out/report.html (open it in a browser)"

bench: build
	bench/run_benchmarks.sh

# Reliability builds (docs/RELIABILITY.md), all with clang; .ci/run runs all
# three after `make test`:
#   sanitize  every library, test, tool and fuzz target with ASan + UBSan (and
#             libFuzzer coverage); runs the whole test suite under them
#   fuzz      runs each fuzz target of that same build for FUZZ_SECONDS
#   tsan      the threaded tests (job runner, executor, per-thread caches,
#             CLD2) under ThreadSanitizer; builds only what they need
# Under CI (CI set) these builds also use -Werror ($(CMAKE_FLAGS)): clang
# warns where gcc does not, and CI should see it.
SAN_DIR ?= build-asan
TSAN_DIR ?= build-tsan
FUZZ_SECONDS ?= 20
TSAN_TESTS ?= pipeline_test lang_test executor_test
# Left out under TSan (CI budget; docs/RELIABILITY.md "CI"): two long tests of
# crash safety and size limits rather than threading, which the gcc and ASan
# runs already cover: the SIGKILL/resume test (needs the CLI binary, so the
# TSan build does not link it) and the 50 MB document (3.6 GB under TSan).
TSAN_GTEST_FILTER ?= -RunJob.KilledRunsResumeToIdenticalBytes:Dedup.FiftyMegabyteDocumentIsRejectedByDefaultAndDedupedWhenAllowed
# -O1 -g1: sanitizer builds compile about a third faster than -O2 -g and
# still run the suite at a useful speed; -g1 (line tables) keeps file:line in
# sanitizer reports. No ccache: CI starts from a clean clone. Unity build
# (CMake concatenates each target's sources): a clean ASan build took 824
# CPU-s instead of 1,163 (docs/RELIABILITY.md "CI"); these trees are built
# once, so the slower incremental rebuilds of a unity build do not matter.
CLANG_CMAKE := CC=clang CXX=clang++ cmake -G Ninja -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="-O1 -g1" -DCMAKE_UNITY_BUILD=ON -DWINNOW_BUILD_BENCH=OFF $(CMAKE_FLAGS)

$(SAN_DIR)/build.ninja:
	$(CLANG_CMAKE) -S . -B $(SAN_DIR) -DWINNOW_FUZZ=ON

sanitize: $(SAN_DIR)/build.ninja
	cmake --build $(SAN_DIR) -j $(JOBS)
	cd $(SAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

# Builds only the fuzz targets (a no-op after `make sanitize`) and runs
# $(JOBS) of them at a time, FUZZ_SECONDS each.
fuzz: $(SAN_DIR)/build.ninja
	cmake --build $(SAN_DIR) -j $(JOBS) --target fuzzers
	fuzz/run_fuzzers.sh $(SAN_DIR) $(FUZZ_SECONDS) $(JOBS)

$(TSAN_DIR)/build.ninja:
	$(CLANG_CMAKE) -S . -B $(TSAN_DIR) -DWINNOW_SANITIZE=thread

tsan: $(TSAN_DIR)/build.ninja
	cmake --build $(TSAN_DIR) -j $(JOBS) --target $(TSAN_TESTS)
	cd $(TSAN_DIR) && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  GTEST_FILTER='$(TSAN_GTEST_FILTER)' \
	  ctest --output-on-failure -j $(JOBS) -R '^($(subst $(eval) ,|,$(strip $(TSAN_TESTS))))$$'

reliability: sanitize fuzz tsan

clean:
	rm -rf $(BUILD_DIR) $(DEMO_DIR) $(SAN_DIR) $(TSAN_DIR)
