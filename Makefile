# sinmun - plain Makefile.
#
#   make            build build/sinmun
#   make demo       install missing packages (as root), build, serve the demo on 127.0.0.1:8080
#   make test       install what the tests need, build, run every test
#   make test-asan  the same suite built with AddressSanitizer + UBSan (clang)
#   make fuzz       build the libFuzzer harnesses (run one: build/fuzz/fuzz_NAME corpus)
#   make lint       banned functions and trailing whitespace
#
# O=DIR puts every build product under DIR (default build); SAN=1 builds with
# ASan+UBSan.  Sources are found by wildcard: a new src/<module>/<file>.c or
# tests/unit/test_<name>.c needs no edit here.

O       ?= build
SAN     ?=
PKGS    := libh2o-evloop sqlite3 jansson libsodium libutf8proc libcurl inih zlib \
           libbrotlienc libbrotlidec gumbo libxml-2.0 md4c openssl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

ifeq ($(SAN),1)
CC      := clang
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
else
CC      ?= cc
OPT     ?= -O2 -g
endif

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
# gcc warns when snprintf may cut text; cutting is what we ask of it.
WARN    += $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null | head -1)),,-Wno-format-truncation)
CFLAGS  := -std=c11 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 $(OPT) $(WARN) -Isrc -I$(O) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS := $(OPT) $(EXTRA_LDFLAGS)
LDLIBS  := $(PKG_LIBS) -lpthread -lm

SRCS    := $(filter-out src/main.c,$(wildcard src/*/*.c))
OBJS    := $(SRCS:%.c=$(O)/%.o) $(O)/embed.o
ASSETS  := $(wildcard templates/*.mustache templates/*/*.mustache static/* src/store/migrations/*.sql demo/*)
TSRCS   := $(wildcard tests/unit/*.c)
TOBJS   := $(TSRCS:%.c=$(O)/%.o)
FUZZ    := $(patsubst tests/fuzz/%.c,$(O)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all demo test test-asan check check-unit check-fuzz check-browser fuzz lint clean deps deps-test bench

all: $(O)/sinmun

$(O)/sinmun: $(O)/src/main.o $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/%.o: %.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Templates, static files, migrations and demo content are compiled into the
# binary so that one file is the whole program.
$(O)/embed-tool: tools/embed.c
	@mkdir -p $(O)
	$(CC) -std=c11 -O1 -Wall -Wextra -Werror -o $@ $<

$(O)/embed.c: $(O)/embed-tool $(ASSETS)
	$(O)/embed-tool $(ASSETS) > $@.tmp && mv $@.tmp $@

$(O)/embed.o: $(O)/embed.c
	$(CC) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(O)/unit-tests: $(TOBJS) $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcriterion

# Benchmark programs (bench/): linked with the project objects.
$(O)/bench-search: bench/search_bench.c $(OBJS)
	$(CC) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $^ $(LDLIBS)

# libFuzzer harnesses: clang only, each harness links the project objects
# built with the same sanitizers.
FUZZ_O := build/fuzzobj
$(O)/fuzz/%: tests/fuzz/%.c
	$(MAKE) O=$(FUZZ_O) SAN=1 EXTRA_CFLAGS=-fsanitize=fuzzer-no-link $(FUZZ_O)/sinmun
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -I$(FUZZ_O) $(PKG_CFLAGS) \
		-o $@ $< $(filter-out $(FUZZ_O)/src/main.o,$(patsubst $(O)/%,$(FUZZ_O)/%,$(OBJS))) $(LDLIBS)

fuzz: $(FUZZ)

deps:
	@scripts/deps.sh

deps-test:
	@scripts/deps.sh --test

demo: deps all
	./$(O)/sinmun serve --demo --db sinmun-demo.db --listen 127.0.0.1:8080

# The whole suite.  The last step is the Criterion run, so the output ends
# with its summary line.
test: deps-test
	@$(MAKE) --no-print-directory check

test-asan: deps-test
	@$(MAKE) --no-print-directory O=build/asan SAN=1 check-unit

check: all $(O)/unit-tests check-fuzz check-browser check-unit

check-fuzz: $(FUZZ)
	@scripts/fuzz-replay.sh $(O)/fuzz

check-browser: all
	@scripts/browser-tests.sh $(O)/sinmun

check-unit: all $(O)/unit-tests
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	SINMUN_BIN=$(O)/sinmun SINMUN_SHARED=$${SINMUN_SHARED:-../shared} ./$(O)/unit-tests --jobs 2

lint:
	@! grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|sscanf|gets)\s*\(' src/*/*.c src/*.c tests/unit/*.c || { echo "lint: banned function above" >&2; exit 1; }
	@! grep -nE '[[:space:]]+$$' src/*/*.[ch] src/*.c Makefile || { echo "lint: trailing whitespace above" >&2; exit 1; }

clean:
	rm -rf build
