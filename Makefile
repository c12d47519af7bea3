# A thin wrapper over CMake presets. `make run` and `make test` are the README's two commands:
# each installs the Debian packages it needs first (tools/deps.sh is idempotent).
JOBS ?= $(shell nproc)
DB ?= caremap.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build asan release fuzz run test test-debug test-asan bench format tidy clean

all: build

deps:
	@tools/deps.sh

build: deps
	@cmake --preset debug >/dev/null
	@cmake --build build -j$(JOBS)

asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build build-asan -j$(JOBS)

release: deps
	@cmake --preset release >/dev/null
	@cmake --build build-release -j$(JOBS)

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build build-fuzz -j$(JOBS)
	@tools/fuzz.sh build-fuzz $(or $(SECONDS),60)

run: release
	@[ -f "$(DB)" ] || build-release/caremap demo --db "$(DB)"
	@build-release/caremap serve --db "$(DB)" --listen "$(LISTEN)"

# Every suite, on the debug build and again under ASan+UBSan; one closing line sums them.
test: build asan
	@tests/run.sh build build-asan

bench: release
	@bench/run.sh build-release

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

tidy: build
	@git ls-files 'src/*.c' | xargs clang-tidy -p build --quiet

clean:
	@rm -rf build build-asan build-fuzz build-release
