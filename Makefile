# TikTokKit — the two commands of the README, and a few more.
#   make demo   build and run the example against a local server (installs libcurl headers if missing)
#   make test   run the whole test suite offline (installs libcurl headers if missing)

SWIFT ?= swift

.PHONY: demo test build deps bench clean

# Generates an 80 MB sample video and publishes it as a draft to the embedded TikTok sandbox.
demo: deps
	TIKTOK_SANDBOX=1 $(SWIFT) run publish-draft --sample 80 --journal .build/demo-journal

# Builds everything (the suite runs the example programs as a user would), runs the suite with
# its temporary files in a private directory it must leave empty, and ends with a summary line.
test: deps
	SWIFT=$(SWIFT) Tests/run-suite.sh

build: deps
	$(SWIFT) build

bench: deps
	$(SWIFT) run -c release tiktok-bench

clean:
	rm -rf .build

# libcurl's headers: present on macOS; on Debian/Ubuntu they come from libcurl4-openssl-dev
# (the OpenSSL flavour, the same libcurl that Swift's FoundationNetworking links). The curl
# command-line tool is the benchmark's baseline (its reduced mode runs in the test suite).
deps:
	@missing=""; \
	if [ "$$(uname)" != "Darwin" ] && [ ! -f /usr/include/curl/curl.h ] && \
	   [ -z "$$(find /usr/include -maxdepth 3 -path '*curl/curl.h' -print -quit 2>/dev/null)" ]; then \
	  missing=" libcurl4-openssl-dev pkg-config"; \
	fi; \
	if ! command -v curl >/dev/null; then missing="$$missing curl"; fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "Installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "TikTokKit needs:$$missing. Install with:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y$$missing"; \
	  exit 1; \
	fi
