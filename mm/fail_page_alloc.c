/*
 * fail_page_alloc: fault injection for the page allocator. Every
 * allocation, whatever its caller (page tables, vmalloc's pages, slabs'
 * pages, large kmallocs, scullp's quanta), passes should_fail_alloc_page()
 * before looking at the free lists; a yes returns NULL at once, with no
 * "page allocation failure" report, since nothing ran out.
 *
 * Boot option `fail_page_alloc=<interval>,<probability>,<space>,<times>`;
 * shell command `fail_page_alloc` (knobs in lib/fault_inject.c) with
 * Linux's own three:
 *   ignore-gfp-wait=Y     spare allocations that may sleep (Linux: Y
 *                         by default; here N, see mm/failslab.c);
 *   ignore-gfp-highmem=Y  spare __GFP_HIGHMEM ones (Linux: Y; here N,
 *                         so scullh's quanta can fail too);
 *   min-order=N           spare orders below N (Linux: 1; here 0,
 *                         because most allocations are single pages).
 */
#include <pagoda/errno.h>
#include <pagoda/fault_inject.h>
#include <pagoda/params.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include "internal.h"

struct fault_attr fail_page_alloc_attr =
	FAULT_ATTR_INITIALIZER("fail_page_alloc");
static bool ignore_gfp_wait;
static bool ignore_gfp_highmem;
static unsigned int min_order;

bool __should_fail_alloc_page(gfp_t gfp, unsigned int order,
			      unsigned long caller)
{
	if (order < min_order || (gfp & __GFP_NOFAIL))
		return false;
	if (ignore_gfp_wait && (gfp & __GFP_WAIT))
		return false;
	if (ignore_gfp_highmem && (gfp & __GFP_HIGHMEM))
		return false;
	return should_fail(&fail_page_alloc_attr, PAGE_SIZE << order, caller);
}

static int setup_fail_page_alloc(const char *val)
{
	return fault_attr_parse(&fail_page_alloc_attr, val);
}
kernel_param("fail_page_alloc", setup_fail_page_alloc);

static int fail_page_alloc_knob(struct seq_file *m, const char *key,
				const char *val)
{
	unsigned int order;

	if (!key) {
		seq_printf(m, "%-18s %c\n", "ignore-gfp-wait",
			   ignore_gfp_wait ? 'Y' : 'N');
		seq_printf(m, "%-18s %c\n", "ignore-gfp-highmem",
			   ignore_gfp_highmem ? 'Y' : 'N');
		seq_printf(m, "%-18s %u\n", "min-order", min_order);
		return 0;
	}
	if (!strcmp(key, "ignore-gfp-wait"))
		return kstrtobool(val, &ignore_gfp_wait) ? -EINVAL : 0;
	if (!strcmp(key, "ignore-gfp-highmem"))
		return kstrtobool(val, &ignore_gfp_highmem) ? -EINVAL : 0;
	if (strcmp(key, "min-order"))
		return -ENOENT;
	if (kstrtouint(val, 10, &order) || order >= MAX_ORDER)
		return -EINVAL;
	min_order = order;
	return 0;
}

static int cmd_fail_page_alloc(struct seq_file *m, int argc, char **argv)
{
	return fault_attr_command(m, &fail_page_alloc_attr, argc, argv,
				  fail_page_alloc_knob);
}
SHELL_COMMAND("fail_page_alloc",
	      "fail_page_alloc [off|reset|I,P,S,T|KNOB=VALUE]...",
	      "make page allocations fail on purpose (no arguments: the knobs)",
	      cmd_fail_page_alloc);
