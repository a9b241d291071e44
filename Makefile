# TikTokKit — the two commands of the README, and a few more.
#   make demo   build and run the example against a local server (installs libcurl headers if missing)
#   make test   run the whole test suite offline (installs libcurl headers if missing)
#   make docs   check every public declaration has a doc comment, then build the DocC archive
# The examples, the benchmark and the soak are their own package, in Examples/.

SWIFT ?= swift

.PHONY: demo test build build-no-curl deps bench adoption-check docs clean

# Generates an 80 MB sample video and publishes it as a draft to the embedded TikTok sandbox.
# (SwiftPM leaves TemporaryDirectory.* folders in TMPDIR; the build gets one under .build.)
demo: deps
	@mkdir -p Examples/.build/swiftpm-tmp
	TMPDIR=$(CURDIR)/Examples/.build/swiftpm-tmp $(SWIFT) build --package-path Examples --product publish-draft
	TIKTOK_SANDBOX=1 Examples/.build/debug/publish-draft --sample 80

# Builds both packages (the suite runs the example programs as a user would), runs their suites with
# temporary files in a private directory they must leave empty, and ends with a summary line.
test: deps
	SWIFT=$(SWIFT) Tests/run-suite.sh

build: deps
	$(SWIFT) build
	$(SWIFT) build --package-path Examples

# The iOS configuration, proved on Linux: TIKTOKKIT_NO_CURL=1 leaves the C module out of the package,
# so the libraries and the tool build without libcurl's headers, without CurlTransport, and with
# URLSessionTransport as the default. A debug build in a directory of its own (the main build is
# not disturbed), then two checks on the tool: libcurl is not among the libraries it links itself,
# and no CurlTransport code is in it. (FoundationNetworking, under URLSessionTransport, links
# libcurl on Linux; on Apple platforms URLSession needs none.) CI runs it.
build-no-curl:
	TIKTOKKIT_NO_CURL=1 $(SWIFT) build --build-path .build-nocurl
	@tool=.build-nocurl/debug/tiktok-sandbox; \
	if readelf -d $$tool | grep NEEDED | grep -i curl; then echo "$$tool links libcurl itself"; exit 1; fi; \
	if nm $$tool | grep -q CurlTransport; then echo "$$tool contains CurlTransport"; exit 1; fi; \
	echo "built without libcurl: $$tool links only $$(readelf -d $$tool | grep -c NEEDED) libraries, none of them libcurl"

bench: deps
	$(SWIFT) run --package-path Examples -c release tiktok-bench

# Builds a scratch app that declares its own `ExampleSupport` and `CCurl` targets and depends on
# TikTokKit: target names must be unique across a dependency graph, so this proves ours do not
# get in an app's way. CI runs it.
adoption-check: deps
	Tests/adoption-check.sh

# A debug build of the three libraries with symbol graphs (its own scratch path under .build/docs),
# Tests/check-doc-comments.py over them, then the toolchain's `docc convert` of
# Sources/TikTokKit/TikTokKit.docc with warnings as errors, into .build/docs/TikTokKit.doccarchive;
# last, Tests/bridge-check.sh builds the swift-log and swift-metrics bridges of
# Documentation/Observability.md in a scratch app against those packages. CI runs it.
docs: deps
	SWIFT=$(SWIFT) Tests/build-docs.sh

clean:
	rm -rf .build .build-nocurl Examples/.build

# libcurl's headers: present on macOS; on Debian/Ubuntu they come from libcurl4-openssl-dev
# (the OpenSSL flavour, the same libcurl that Swift's FoundationNetworking links). The curl
# command-line tool is the benchmark's baseline (its reduced mode runs in the test suite); the
# openssl command line serves the self-signed TLS peer of the hostile-server tests.
deps:
	@missing=""; \
	if [ "$$(uname)" != "Darwin" ] && [ ! -f /usr/include/curl/curl.h ] && \
	   [ -z "$$(find /usr/include -maxdepth 3 -path '*curl/curl.h' -print -quit 2>/dev/null)" ]; then \
	  missing=" libcurl4-openssl-dev pkg-config"; \
	fi; \
	if ! command -v curl >/dev/null; then missing="$$missing curl"; fi; \
	if ! command -v openssl >/dev/null; then missing="$$missing openssl"; fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "Installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "TikTokKit needs:$$missing. Install with:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y$$missing"; \
	  exit 1; \
	fi
