# zonefall - top-level entry points. CMake does the building, CTest the
# testing; these targets only chain the steps a newcomer needs.
BUILD ?= build
JOBS ?= 2

.PHONY: all deps build test test-unit test-integration demo fuzz asan bench clean

all: build

deps:
	./scripts/install-deps

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# Every tier: unit, integration (real labs, root), fuzz smoke runs.
test: deps build
	cd $(BUILD) && ctest --output-on-failure -L unit
	./tests/preflight $(BUILD)
	cd $(BUILD) && ctest --output-on-failure -L integration
	$(MAKE) fuzz FUZZ_SECONDS=$${FUZZ_SECONDS:-20}

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -L unit

test-integration: build
	./tests/preflight $(BUILD)
	cd $(BUILD) && ctest --output-on-failure -L integration

# Sanitizer build of everything, unit tier under ASan/UBSan.
asan:
	cmake -S . -B build-asan -DZF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -L unit

FUZZ_SECONDS ?= 60
fuzz:
	CC=clang cmake -S . -B build-fuzz -DZF_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build build-fuzz -j $(JOBS)
	./scripts/run-fuzzers build-fuzz $(FUZZ_SECONDS)

demo: deps build
	./scripts/demo $(BUILD)

bench: build
	./bench/lab-scale $(BUILD)/zonefall
	./bench/probe-vs-wrk $(BUILD)
	./bench/partition-scale $(BUILD)/zonefall
	./bench/linkem $(BUILD)
	./bench/dns-qps $(BUILD)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
