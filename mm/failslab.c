/*
 * failslab: fault injection for the slab allocator (kmem_cache_alloc and
 * so kmalloc up to its largest class). While failslab is armed,
 * slab_alloc() leaves its fast path for slab_alloc_slow(), which asks
 * should_failslab() first; when the answer is yes it returns NULL at
 * once, as if no slab could be had, and the caller's error path runs.
 *
 * Boot option `failslab=<interval>,<probability>,<space>,<times>`; shell
 * command `failslab` to show or change the knobs (lib/fault_inject.c),
 * plus two of its own:
 *   ignore-gfp-wait=Y  spare allocations that may sleep. Linux sets it
 *                      by default; here it starts off, because almost
 *                      every allocation worth testing is GFP_KERNEL.
 *   cache=NAME         fail only this cache's allocations (cache= for
 *                      all), in place of Linux's per-cache flag.
 */
#include <pagoda/errno.h>
#include <pagoda/fault_inject.h>
#include <pagoda/params.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include "internal.h"
#include "slab.h"

struct fault_attr failslab_attr = FAULT_ATTR_INITIALIZER("failslab");
static bool ignore_gfp_wait;
static char cache_filter[KMEM_CACHE_NAME_LEN];

bool __should_failslab(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	if (gfp & __GFP_NOFAIL)
		return false;
	if (ignore_gfp_wait && (gfp & __GFP_WAIT))
		return false;
	if (cache_filter[0] && strcmp(cache_filter, s->name))
		return false;
	return should_fail(&failslab_attr, s->object_size, caller);
}

static int setup_failslab(const char *val)
{
	return fault_attr_parse(&failslab_attr, val);
}
kernel_param("failslab", setup_failslab);

static int failslab_knob(struct seq_file *m, const char *key, const char *val)
{
	if (!key) {
		seq_printf(m, "%-18s %c\n", "ignore-gfp-wait",
			   ignore_gfp_wait ? 'Y' : 'N');
		seq_printf(m, "%-18s %s\n", "cache",
			   cache_filter[0] ? cache_filter : "(all)");
		return 0;
	}
	if (!strcmp(key, "ignore-gfp-wait"))
		return kstrtobool(val, &ignore_gfp_wait) ? -EINVAL : 0;
	if (strcmp(key, "cache"))
		return -ENOENT;
	if (strlcpy(cache_filter, val, sizeof(cache_filter)) >=
	    sizeof(cache_filter)) {
		cache_filter[0] = '\0';
		return -EINVAL;
	}
	return 0;
}

static int cmd_failslab(struct seq_file *m, int argc, char **argv)
{
	return fault_attr_command(m, &failslab_attr, argc, argv, failslab_knob);
}
SHELL_COMMAND("failslab", "failslab [off|reset|I,P,S,T|KNOB=VALUE]...",
	      "make slab allocations fail on purpose (no arguments: the knobs)",
	      cmd_failslab);
