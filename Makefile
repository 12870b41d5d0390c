# ketnap — make run serves the API and dashboard on the embedded database
# with demo data; make test runs every test (Go on SQLite and PostgreSQL,
# dashboard unit and end-to-end tests).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
ADDR ?= :8080
BIN := bin/ketnap
DASH := dashboard
DASH_SRC := $(shell find $(DASH)/src $(DASH)/public $(DASH)/index.html $(DASH)/vite.config.ts $(DASH)/tsconfig.json -type f 2>/dev/null)
GO_SRC := $(shell find cmd ent graph internal dashboard -name '*.go' -not -path '*/node_modules/*' 2>/dev/null) $(DASH)/placeholder/index.html go.mod go.sum
# The hand-written Go packages: everything but ent's and gqlgen's output
# (ent/schema and ent/entc are hand-written and checked).
GO_OWN = $$($(GO) list ./... | grep -vE '^ketnap/(ent|graph/generated)(/|$$)') ./ent/schema ./ent/entc

.PHONY: run test test-go test-dashboard e2e build dashboard generate check-generate vet bench clean

run: $(BIN)
	./$(BIN) serve --addr $(ADDR) --dev --demo

build: $(BIN)

$(BIN): $(GO_SRC) $(DASH)/dist/index.html
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/ketnap

dashboard: $(DASH)/dist/index.html

# npm ci runs again only when package-lock.json changes.
$(DASH)/node_modules/.ketnap-stamp: $(DASH)/package-lock.json
	cd $(DASH) && npm ci --no-audit --no-fund
	touch $@

$(DASH)/dist/index.html: $(DASH)/node_modules/.ketnap-stamp $(DASH_SRC)
	cd $(DASH) && npm run build

test: vet test-go test-dashboard

# go vet over everything, staticcheck (pinned in go.mod as a tool) over the
# hand-written packages, gofmt over all Go files.
vet: $(DASH)/dist/index.html
	$(GO) vet ./...
	$(GO) tool staticcheck $(GO_OWN)
	@test -z "$$(gofmt -l cmd ent graph internal dashboard/*.go)" || { echo "gofmt would change:"; gofmt -l cmd ent graph internal dashboard/*.go; exit 1; }

# The Go suites run on SQLite and on a throwaway PostgreSQL cluster; the log
# keeps every line, the console shows the test and subtest results.
test-go: $(DASH)/dist/index.html
	@mkdir -p test-artifacts
	$(GO) test -count=1 -v -timeout 30m ./... > test-artifacts/go-test.log 2>&1 \
		|| { grep -E '^\s*(--- FAIL|FAIL|panic)|_test.go:[0-9]+:' test-artifacts/go-test.log | head -200; echo "go test failed: see test-artifacts/go-test.log"; exit 1; }
	@grep -E '^(\s{0,4})--- (PASS|FAIL|SKIP)|^(ok|FAIL)\s' test-artifacts/go-test.log
	@# The concurrency storm once more under the race detector.
	$(GO) test -race -count=1 -timeout 10m -run '^TestStorm$$' ./internal/stats/ > test-artifacts/go-race.log 2>&1 \
		|| { grep -E '^\s*(--- FAIL|FAIL|panic)|_test.go:[0-9]+:|WARNING: DATA RACE' test-artifacts/go-race.log | head -100; echo "go test -race failed: see test-artifacts/go-race.log"; exit 1; }
	@echo "$$(grep -cE '^\s*--- PASS' test-artifacts/go-test.log) passed, $$(grep -cE '^\s*--- FAIL' test-artifacts/go-test.log) failed, $$(grep -cE '^\s*--- SKIP' test-artifacts/go-test.log) skipped"

test-dashboard: $(BIN)
	cd $(DASH) && npm test
	$(MAKE) e2e

# End-to-end: the real server on a fresh demo database, driven by Chromium.
e2e: $(BIN)
	@bash $(DASH)/e2e/run.sh ./$(BIN)

generate:
	$(GO) generate ./...

# Generated code must be exactly what go generate writes, and the
# dashboard's API types what graphql-codegen writes from the schema.
check-generate: $(DASH)/node_modules/.ketnap-stamp
	$(GO) generate ./...
	cd $(DASH) && npm run --silent codegen:check
	@git diff --exit-code --stat -- . ':!dashboard/package-lock.json' || { echo "go generate changed files: commit its output"; exit 1; }
	@test -z "$$(git status --porcelain --untracked-files=all -- ent graph internal)" || { git status --porcelain -- ent graph internal; echo "go generate added files: commit them"; exit 1; }

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin test-artifacts $(DASH)/dist/assets $(DASH)/dist/index.html
