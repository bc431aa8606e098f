# `make fuzz`: the allocators under libFuzzer (tests/fuzz/fuzz_mm.c),
# built from the same sources as the host tests (tests/host/host.mk) but
# with clang, for the fuzzer's coverage feedback, and with ASan and UBSan.
# Not part of `make test`: it needs clang and libFuzzer, which
# tools/setup.sh installs only when this target asks for them.
#
#   make fuzz                    run for FUZZ_SECONDS (default 60)
#   make fuzz FUZZ_SECONDS=10    a quick smoke run
#   make fuzz FUZZ_OPTS=-jobs=2  more libFuzzer flags
#
# The corpus it grows is kept in FUZZ_CORPUS (build/fuzz/corpus) for the
# next run; a crashing input is saved in build/fuzz/ as crash-<sha1> and
# replays with: build/fuzz/fuzz_mm build/fuzz/crash-<sha1>

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_OPTS ?=
FUZZ_BUILD := build/fuzz
FUZZ_CORPUS ?= $(FUZZ_BUILD)/corpus
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter \
	-fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Iinclude -Itests/host/include \
	-Itests/host -MMD -MP
FUZZ_SRCS := $(sort $(HOST_COMMON_SRCS) $(host_vmalloc_SRCS))
FUZZ_OBJS := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_SRCS))
FUZZ_PROG := $(FUZZ_BUILD)/fuzz_mm

# Project sources: coverage for the fuzzer, and the host's pg_ renames.
$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
		-include tests/host/host_names.h -c $< -o $@

# memset and friends: no coverage feedback from inside their loops,
# which would cost more than everything else together.
$(FUZZ_BUILD)/obj/lib/string.o: lib/string.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -include tests/host/host_names.h -c $< -o $@

# The harness: sanitizers, but no coverage (its checks are not what the
# fuzzer should explore).
$(FUZZ_BUILD)/obj/tests/fuzz/fuzz_mm.o: tests/fuzz/fuzz_mm.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_PROG): $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_mm.o $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -o $@

.PHONY: fuzz fuzz-setup
# clang, and libFuzzer's runtime (a separate package on Debian 12).
fuzz-setup: setup
	@tools/setup.sh $(FUZZ_CC):clang
	@tools/setup.sh "$$($(FUZZ_CC) --print-runtime-dir)/libclang_rt.fuzzer-$$(uname -m).a:libclang-rt-$$($(FUZZ_CC) -dumpversion | cut -d. -f1)-dev"

fuzz: fuzz-setup
	$(Q)$(MAKE) --no-print-directory $(FUZZ_PROG)
	@mkdir -p $(FUZZ_CORPUS)
	$(FUZZ_PROG) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_BUILD)/ $(FUZZ_OPTS) $(FUZZ_CORPUS)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
