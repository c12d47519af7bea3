# A thin wrapper over CMake presets. `make run` and `make test` are the README's two commands:
# each installs the Debian packages it needs first (tools/deps.sh is idempotent).
JOBS ?= $(shell nproc)
DB ?= caremap.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps web e2e-deps build asan release fuzz run test test-debug test-asan bench format tidy clean

all: build

deps:
	@tools/deps.sh

# The browser UI: web/dist is embedded in the binary, so every build of caremap needs it first.
# npm ci (from the committed lockfile) only when node_modules is missing or older than the lockfile.
web: deps
	@if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then \
		(cd web && npm ci --no-audit --no-fund) && touch web/node_modules; fi
	@cd web && npm run --silent build

# The e2e suite's own npm packages (playwright-core, axe-core), the same way.
e2e-deps: deps
	@if [ ! -d tests/e2e/node_modules ] || \
		[ tests/e2e/package-lock.json -nt tests/e2e/node_modules ]; then \
		(cd tests/e2e && npm ci --no-audit --no-fund) && touch tests/e2e/node_modules; fi

build: deps web
	@cmake --preset debug >/dev/null
	@cmake --build build -j$(JOBS)

asan: deps web
	@cmake --preset asan >/dev/null
	@cmake --build build-asan -j$(JOBS)

release: deps web
	@cmake --preset release >/dev/null
	@cmake --build build-release -j$(JOBS)

fuzz: deps web
	@cmake --preset fuzz >/dev/null
	@cmake --build build-fuzz -j$(JOBS)
	@tools/fuzz.sh build-fuzz $(or $(SECONDS),60)

run: release
	@[ -f "$(DB)" ] || build-release/caremap demo --db "$(DB)"
	@build-release/caremap serve --db "$(DB)" --listen "$(LISTEN)"

# Every suite, on the debug build and again under ASan+UBSan; one closing line sums them.
test: build asan e2e-deps
	@tests/run.sh build build-asan

bench: release e2e-deps
	@bench/run.sh build-release
	@node bench/panel_render.mjs build-release/caremap
	@node bench/plan_pdf.mjs build-release/caremap
	@bench/identify.sh build-release

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

tidy: build
	@git ls-files 'src/*.c' | xargs clang-tidy -p build --quiet

clean:
	@rm -rf build build-asan build-fuzz build-release web/dist
