# Host benchmarks of the allocators (`make bench`), included by the
# top-level Makefile after tests/host/host.mk. The same host build of mm/
# and lib/ as the unit tests (the shim, the pg_ renames), but with -O2
# and no sanitizers, into build/bench/ (build/host is left alone).
# Not part of `make test`: timings are no pass/fail matter.
#
#   make bench                       both benchmarks (about a minute)
#   make bench BENCH_ARGS=--quick    a fast, rougher run
#   make bench-page                  only the page allocator's
#   make bench-slab                  only the slab layer's, against glibc
#                                    malloc, jemalloc and mimalloc
#   make bench-callgrind             instruction counts per pair (valgrind),
#                                    both; bench-slab-callgrind: slab only
#
# bench_slab links jemalloc and mimalloc when they are installed. Missing,
# they are installed with apt-get when make runs as root (Debian 12's
# libjemalloc-dev, libmimalloc-dev; BENCH_NO_INSTALL=1 stops that), else
# left out of the comparison, with a message (tools/bench/malloc_libs.sh).

BENCH_CC ?= cc
BENCH_BUILD := build/bench
BENCH_ARGS ?=
# The kernel's own code generation flags, less the freestanding ones.
BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter \
	-fno-strict-aliasing -fno-common -fno-omit-frame-pointer \
	-fno-optimize-sibling-calls -Iinclude -Itests/host/include \
	-Itests/host -MMD -MP
BENCH_PROJ_CFLAGS := $(BENCH_CFLAGS) -include tests/host/host_names.h

# What the page allocator's host test links, less the test harness.
bench_page_alloc_SRCS := $(sort $(host_page_alloc_SRCS) $(HOST_COMMON_SRCS))

BENCH_PROG := $(BENCH_BUILD)/bench_page_alloc
BENCH_OBJS := $(BENCH_BUILD)/obj/tools/bench/bench_page_alloc.o \
	$(patsubst %.c,$(BENCH_BUILD)/obj/%.o,$(bench_page_alloc_SRCS))

# The benchmark itself is test-side code: libc's names, no renames.
$(BENCH_BUILD)/obj/tools/bench/%.o: tools/bench/%.c
	$(call say,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) -c $< -o $@

$(BENCH_BUILD)/obj/%.o: %.c
	$(call say,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(BENCH_CC) $(BENCH_PROJ_CFLAGS) -c $< -o $@

$(BENCH_PROG): $(BENCH_OBJS)
	$(call say,LD,$@)
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) $^ -o $@

# The slab benchmark: what the slab layer's host test links, less the
# test harness.
bench_slab_SRCS := $(sort $(host_slab_SRCS) $(HOST_COMMON_SRCS))

BENCH_SLAB_PROG := $(BENCH_BUILD)/bench_slab
BENCH_SLAB_OBJS := $(BENCH_BUILD)/obj/tools/bench/bench_slab.o \
	$(patsubst %.c,$(BENCH_BUILD)/obj/%.o,$(bench_slab_SRCS))
# The -l options of the malloc libraries found (or installed): checked
# at every make, rewritten only when they change.
BENCH_MALLOC_LIBS := $(BENCH_BUILD)/malloc-libs

$(BENCH_MALLOC_LIBS): FORCE
	$(Q)BENCH_CC="$(BENCH_CC)" tools/bench/malloc_libs.sh $@
FORCE: # (the top-level Makefile has it too)

# libc first: its malloc stays the process's malloc, although jemalloc and
# mimalloc export one too (bench_slab.c calls each by its own entry points).
$(BENCH_SLAB_PROG): $(BENCH_SLAB_OBJS) $(BENCH_MALLOC_LIBS)
	$(call say,LD,$@)
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) $(BENCH_SLAB_OBJS) -o $@ -lm -ldl \
		-Wl,--no-as-needed -lc $$(cat $(BENCH_MALLOC_LIBS))

.PHONY: bench bench-page bench-slab bench-callgrind bench-slab-callgrind
# One after the other, never in parallel: they time things.
bench: $(BENCH_PROG) $(BENCH_SLAB_PROG)
	$(Q)$(BENCH_PROG) $(BENCH_ARGS)
	@echo
	$(Q)$(BENCH_SLAB_PROG) $(BENCH_ARGS)

bench-page: $(BENCH_PROG)
	$(Q)$(BENCH_PROG) $(BENCH_ARGS)

bench-slab: $(BENCH_SLAB_PROG)
	$(Q)$(BENCH_SLAB_PROG) $(BENCH_ARGS)

# Instructions (callgrind's Ir) per order-0 alloc+free pair, each path
# and pattern in its own valgrind run, counted only inside
# bench_measured(): exact and repeatable where timings are not. Then the
# same for bench_slab: Ir per alloc+free pair of every allocator and cell,
# in one valgrind run (tools/bench/bench_slab_callgrind.sh).
BENCH_CG_PAIRS ?= 100000
BENCH_CG_PATTERNS := pairs frag batch
BENCH_CG_SLAB_PAIRS ?= 20000

bench-callgrind: $(BENCH_PROG) $(BENCH_SLAB_PROG)
	$(Q)if ! command -v valgrind >/dev/null 2>&1; then \
		echo "bench-callgrind: valgrind is not installed; skipped" \
			"(apt-get install valgrind)"; \
		exit 0; \
	fi; \
	echo "callgrind: instructions (Ir) per order-0 alloc+free pair," \
		"$(BENCH_CG_PAIRS) pairs per run"; \
	printf '  %-8s %10s %10s %10s\n' pattern per-CPU buddy pcp/buddy; \
	for pat in $(BENCH_CG_PATTERNS); do \
		line="$$pat"; \
		for path in pcp buddy; do \
			out=$(BENCH_BUILD)/callgrind.out.$$path.$$pat; \
			pairs=$$(valgrind --tool=callgrind -q \
				--callgrind-out-file=$$out \
				--toggle-collect='bench_measured*' \
				$(BENCH_PROG) --callgrind --path=$$path \
				--pattern=$$pat --count=$(BENCH_CG_PAIRS) | \
				sed -n 's/.* pairs \([0-9]*\)$$/\1/p') || exit 1; \
			ir=$$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' $$out); \
			[ -n "$$pairs" ] && [ -n "$$ir" ] || \
				{ echo "bench-callgrind: no result from $$out" >&2; \
				  exit 1; }; \
			line="$$line $$ir $$pairs"; \
		done; \
		echo $$line | awk '{ p = $$2 / $$3; b = $$4 / $$5; \
			printf "  %-8s %10.1f %10.1f %10.2f\n", $$1, p, b, p / b }'; \
	done; \
	echo "(pairs: alloc, free, repeat; frag: the same on a zone where" \
		"nothing merges; batch: 1000 allocs, then 1000 frees)"
	@echo
	$(Q)tools/bench/bench_slab_callgrind.sh $(BENCH_SLAB_PROG) \
		$(BENCH_BUILD) $(BENCH_CG_SLAB_PAIRS)

bench-slab-callgrind: $(BENCH_SLAB_PROG)
	$(Q)tools/bench/bench_slab_callgrind.sh $(BENCH_SLAB_PROG) \
		$(BENCH_BUILD) $(BENCH_CG_SLAB_PAIRS)

-include $(sort $(BENCH_OBJS:.o=.d) $(BENCH_SLAB_OBJS:.o=.d))
