# Participe - build, run, test, bench, fuzz, check. Nothing else is needed.
#
#   make                       build bin/participe
#   make SANITIZE=address,undefined test
#   make run                   deps + build + private PostgreSQL + migrate
#                              + demo data + serve
#   make test                  unit, SQL and API tests on a private cluster
#   make bench                 load figures (prints, asserts nothing)
#   make check                 clang-format and cppcheck
#   make fuzz                  short libFuzzer runs of every parser

CC       ?= cc
SANITIZE ?=
PKGS     := libevent_core libevent_pthreads libpq jansson libsodium
VARIANT  := $(if $(SANITIZE),san,rel)
B        := build/$(VARIANT)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wvla -Wformat=2 -Wno-format-nonliteral
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 -D_GNU_SOURCE -pthread $(WARN) -MMD -MP \
            $(shell pkg-config --cflags $(PKGS) cmocka 2>/dev/null)
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lgmp -lglpk -lpthread -lm
ifneq ($(SANITIZE),)
CFLAGS   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=$(SANITIZE)
endif

LIB_SRC  := $(sort $(wildcard lib/*.c))
SRV_SRC  := $(sort $(wildcard server/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
SRV_OBJ  := $(SRV_SRC:%.c=$(B)/%.o)
LIBA     := $(B)/libparticipe.a

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/unit/%)
API_SRC  := $(sort $(wildcard tests/api/test_*.c))
API_BIN  := $(API_SRC:tests/api/%.c=$(B)/tests/api/%)
API_LIB  := $(B)/tests/api/client.o $(B)/tests/api/identity.o \
            $(B)/tests/api/contrib.o $(B)/tests/api/vote.o

.PHONY: all run test test-unit bench bench-ballots bench-login bench-pb bench-proposals check format fuzz clean deps FORCE

all: bin/participe

# Rebuild when the variant's flags change (e.g. SANITIZE toggled).
$(B)/flags: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@

$(B)/%.o: %.c $(B)/flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -c $< -o $@

# bin/participe is shared by both variants (each has its own objects and
# archive under build/<variant>/): relink it whenever the variant differs from the one they were last built as.
build/variant: FORCE
	@mkdir -p build
	@echo '$(VARIANT)' | cmp -s - $@ || echo '$(VARIANT)' > $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

bin/participe: $(SRV_OBJ) $(LIBA) build/variant
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $(SRV_OBJ) $(LIBA) $(LDLIBS)

# Unit tests link only the pure archive: that is the proof lib/ is pure.
$(B)/tests/unit/%: tests/unit/%.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -DTEST_DATA_DIR='"$(CURDIR)/tests/data"' \
		$(LDFLAGS) -o $@ $< $(LIBA) \
		$(shell pkg-config --libs jansson libsodium cmocka) -lgmp -lglpk \
		-lpthread -lm

$(B)/tests/api/%: tests/api/%.c tests/api/client.h tests/api/identity.h \
		tests/api/contrib.h tests/api/vote.h $(API_LIB) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -Itests/api $(LDFLAGS) -o $@ $< $(API_LIB) \
		$(LIBA) $(shell pkg-config --libs jansson libsodium cmocka) \
		-lgmp -lglpk -lpthread -lm

# Helpers shared by every API test (the HTTP client, identity helpers,
# proposals and moderation helpers).
$(API_LIB): $(B)/tests/api/%.o: tests/api/%.c tests/api/client.h \
		tests/api/identity.h tests/api/contrib.h tests/api/vote.h \
		$(B)/flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -Itests/api -c $< -o $@

deps:
	@deploy/install-deps.sh

test-build: all $(UNIT_BIN) $(API_BIN)

test-unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

# The one test command (README, .ci/run): deps, build, then every suite
# against a private PostgreSQL and a real server; leaves nothing running.
test: deps
	@$(MAKE) --no-print-directory test-build
	@B=$(B) tests/run.sh

run: deps
	@$(MAKE) --no-print-directory all
	@deploy/run.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/run.sh
	@tests/bench/login.sh
	@tests/bench/proposals.sh
	@tests/bench/ballots.sh
	@tests/bench/pb.sh
	@tests/bench/metrics.sh

bench-metrics: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/metrics.sh

bench-ballots: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/ballots.sh

bench-login: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/login.sh

# Needs no database: only the binary.
bench-pb: all
	@tests/bench/pb.sh

bench-proposals: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/proposals.sh

check:
	clang-format --dry-run --Werror $(LIB_SRC) $(SRV_SRC) lib/*.h server/*.h
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
		--enable=warning,portability,performance \
		--suppress=missingIncludeSystem -D_GNU_SOURCE -Ilib lib server

format:
	clang-format -i $(LIB_SRC) $(SRV_SRC) lib/*.h server/*.h

fuzz:
	@tests/fuzz/run.sh

clean:
	rm -rf build bin

.PHONY: test-build
-include $(LIB_OBJ:.o=.d) $(SRV_OBJ:.o=.d)
