# kmemreplay (tools/kmemtrace/): a kmemtrace dump replayed through the
# host build of mm/. Included by the top-level Makefile; built without
# the sanitizers (a trace of a big machine is long), optimised.
#
#	make replay TRACE=file     replay a dump; print buddyinfo (and slabinfo)

KMEMREPLAY := $(HOST_BUILD)/kmemreplay
REPLAY_BUILD := $(HOST_BUILD)/replay
REPLAY_CFLAGS := -std=gnu11 -g -O2 -Wall -Wextra -Wno-unused-parameter \
	-Iinclude -Itests/host/include -Itests/host -Itools/kmemtrace -MMD -MP
REPLAY_PROJ_SRCS := $(sort $(filter-out tests/host/%,$(host_slab_SRCS)) \
	$(HOST_COMMON_SRCS))
REPLAY_TOOL_SRCS := tools/kmemtrace/kmemreplay.c tools/kmemtrace/main.c
REPLAY_OBJS := $(patsubst %.c,$(REPLAY_BUILD)/obj/%.o,$(REPLAY_PROJ_SRCS)) \
	$(patsubst %.c,$(REPLAY_BUILD)/tool/%.o,$(REPLAY_TOOL_SRCS))

$(REPLAY_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(REPLAY_CFLAGS) -include tests/host/host_names.h -c $< -o $@

$(REPLAY_BUILD)/tool/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(REPLAY_CFLAGS) -c $< -o $@

$(KMEMREPLAY): $(REPLAY_OBJS)
	$(HOST_CC) $(REPLAY_CFLAGS) $^ -o $@

.PHONY: replay
replay: $(KMEMREPLAY)
	@test -n "$(TRACE)" || { echo 'usage: make replay TRACE=file' >&2; exit 2; }
	$(KMEMREPLAY) $(TRACE)
