# Host builds of lib/ and mm/ with AddressSanitizer and UBSan.
# Included by the top-level Makefile. Each tests/host/test_NAME.c becomes
# one program, linked with the project sources listed in host_NAME_SRCS
# plus the common ones every program needs.

HOST_CC ?= cc
HOST_BUILD := build/host
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter \
	-fno-omit-frame-pointer $(HOST_SAN) -Iinclude -Itests/host/include \
	-Itests/host -MMD -MP
# Project sources get the pg_ renames (see tests/host/host_names.h).
HOST_PROJ_CFLAGS := $(HOST_CFLAGS) -include tests/host/host_names.h

HOST_COMMON_SRCS := lib/vsprintf.c lib/string.c lib/kstrtox.c lib/errname.c \
	kernel/seq_file.c \
	tests/host/shim.c
HOST_HARNESS := tests/host/test_main.c

HOST_TESTS := $(patsubst tests/host/test_%.c,%,$(filter-out \
	tests/host/test_main.c,$(wildcard tests/host/test_*.c)))

# Which project sources each test program links, besides the common ones.
host_string_SRCS :=
host_vsprintf_SRCS :=
host_fdt_SRCS := lib/fdt.c
host_bootmem_SRCS := mm/bootmem.c kernel/resource.c
host_params_SRCS := kernel/params.c
host_resource_SRCS := kernel/resource.c
host_range_tree_SRCS := lib/range_tree.c
host_crc32_SRCS := lib/crc32.c
host_page_alloc_SRCS := mm/page_alloc.c mm/mm_init.c mm/highmem.c mm/gfp.c \
	mm/vmstat.c mm/bootmem.c kernel/irq.c kernel/resource.c \
	mm/fail_page_alloc.c lib/fault_inject.c lib/random.c mm/page_owner.c \
	mm/kmemtrace.c
host_slab_SRCS := $(host_page_alloc_SRCS) mm/slab.c mm/slab_debug.c mm/slab_owner.c \
	mm/kmalloc.c mm/mempool.c mm/failslab.c mm/leaks.c tests/host/arena.c
host_fault_inject_SRCS := lib/fault_inject.c lib/random.c
host_scull_SRCS := $(host_slab_SRCS) drivers/scull/core.c kernel/chrdev.c
host_kmemtrace_SRCS := $(host_slab_SRCS) tools/kmemtrace/kmemreplay.c
host_vmalloc_SRCS := $(host_slab_SRCS) mm/vmalloc.c mm/ioremap.c mm/shell_allocs.c \
	mm/pgtable.c lib/range_tree.c tests/host/fake_pgtable.c

host_obj = $(HOST_BUILD)/obj/$(1:.c=.o)

$(HOST_BUILD)/obj/tests/host/test_%.o: tests/host/test_%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_PROJ_CFLAGS) -c $< -o $@

define host_test_rule
$(HOST_BUILD)/test_$(1): $(call host_obj,tests/host/test_$(1).c) \
		$(call host_obj,$(HOST_HARNESS)) \
		$(foreach s,$(HOST_COMMON_SRCS) $(host_$(1)_SRCS),$(call host_obj,$(s)))
	$(HOST_CC) $(HOST_CFLAGS) $$^ -o $$@
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

# The harness itself is test-side code: no renames.
$(call host_obj,$(HOST_HARNESS)): $(HOST_HARNESS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

HOST_PROGS := $(addprefix $(HOST_BUILD)/test_,$(HOST_TESTS))

.PHONY: test-host
test-host: $(HOST_PROGS)
	@tests/host/run.sh $(HOST_PROGS)

-include $(shell find $(HOST_BUILD) -name '*.d' 2>/dev/null)
