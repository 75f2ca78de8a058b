# featc — every task a person runs is a target here. `make test` is what CI runs.
GO       ?= go
TAGS     ?= duckdb_arrow
GOFLAGS  += -tags=$(TAGS)
export GOFLAGS

# Packages whose golden files `make golden` rewrites (they define the -update flag).
GOLDEN_PKGS := ./ir/... ./backends/sqlgen/... ./cmd/featc/...
FUZZTIME    ?= 10s

.PHONY: all build test test-go fuzz-short fuzz bench golden lint fmt docs clean

all: build

build:
	$(GO) build -o bin/featc ./cmd/featc

## test: vet, format checks, every test, and a short fuzzing pass of the parser, the checker, the
## Go API (FuzzAPI), the command line (FuzzCLI), the evaluator against DuckDB (differential) and
## the regular-expression dialect (FuzzRegex).
test: lint test-go fuzz-short

# The tests build with featc_poison: a result's tables read after Release show poison.
test-go:
	$(GO) test -count=1 -tags=$(TAGS),featc_poison ./...

fuzz-short:
	GO=$(GO) .ci/fuzz-one -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./lang
	GO=$(GO) .ci/fuzz-one -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) ./ir
	GO=$(GO) .ci/fuzz-one -tags=$(TAGS),featc_poison -run '^$$' -fuzz '^FuzzAPI$$' -fuzztime $(FUZZTIME) ./eval
	GO=$(GO) .ci/fuzz-one -run '^$$' -fuzz '^FuzzCLI$$' -fuzztime $(FUZZTIME) ./cmd/featc
	GO=$(GO) .ci/fuzz-one -run '^$$' -fuzz '^FuzzDifferential$$' -fuzztime $(FUZZTIME) ./backends/conformance
	GO=$(GO) .ci/fuzz-one -run '^$$' -fuzz '^FuzzRegex$$' -fuzztime $(FUZZTIME) ./stdlib

## fuzz: the same fuzz targets, longer (FUZZTIME=10m make fuzz).
fuzz: FUZZTIME = 5m
fuzz: fuzz-short

## bench: benchmarks on one core, with allocations.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 ./...

## golden: rewrite the golden files from the current compiler; review the diff. One package at
## a time (-p 1): several packages rewrite sections of the same files.
golden:
	$(GO) test -p 1 -count=1 $(GOLDEN_PKGS) -run 'Golden|EdgeData|CustomersSample' -update

## lint: gofmt, go vet (participle's struct tags are not key:"value" pairs, hence -structtag=false),
## and canonical formatting of the example .feat files.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet -structtag=false ./...
	$(GO) run ./cmd/featc fmt --check testdata/examples/*/

## docs: regenerate docs/functions.md and docs/polars.md from the stdlib table.
docs:
	$(GO) run ./cmd/featc explain --functions --markdown > docs/functions.md
	$(GO) run ./cmd/featc explain --polars --markdown > docs/polars.md

clean:
	rm -rf bin
