# The commands the README names. Every target installs what it needs first
# (scripts/setup.sh is idempotent and quick when everything is present).
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: help setup ui build run demo-headless screenshots test lint e2e api-check bench fuzz bundle clean

help:
	@echo "make run            build and start the app against the demo helpdesk"
	@echo "make demo-headless  the same under Xvfb; screenshot in target/demo.png"
	@echo "make test           every check: fmt, clippy, Rust, UI and end-to-end tests"
	@echo "make lint           fmt, clippy, UI type-check and lint only"
	@echo "make e2e            end-to-end tests only (real app over WebDriver)"
	@echo "make api-check      schemathesis against the server's OpenAPI document"
	@echo "make screenshots    the README's screenshots, from the real window"
	@echo "make bench          performance figures vs goals; target/bench/summary.json"
	@echo "                    (BENCH_SKIP_BUNDLE=1 skips the slow .deb build)"
	@echo "make fuzz           cargo-fuzz: image intake and the scrubber, 60 s each"
	@echo "                    (FUZZ_SECONDS=N; installs nightly and cargo-fuzz)"
	@echo "make bundle         Linux packages: deb, rpm, AppImage in target/release/bundle"

setup:
	@scripts/setup.sh

ui: setup
	npm --prefix ui run build

build: ui
	$(CARGO) build --workspace --bins --locked

run: build
	scripts/run.sh

demo-headless: build
	scripts/with-session.sh target/debug/demo-shot

screenshots: build
	scripts/with-session.sh target/debug/demo-shot --screenshots docs/screenshots
	target/debug/console-shot docs/screenshots

test:
	scripts/test.sh

lint: ui
	$(CARGO) fmt --all --check
	scripts/policy.sh
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) clippy --workspace --test window --locked -- -D warnings
	npm --prefix ui run check
	npm --prefix ui run lint

e2e: build
	scripts/with-session.sh $(CARGO) test --workspace --test window --locked -- --test-threads=1

api-check: build
	scripts/schemathesis.sh

bench:
	scripts/bench.sh

fuzz:
	scripts/fuzz.sh

bundle:
	scripts/bundle.sh deb,rpm,appimage

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules
