/*
 * The kernel's virtual memory layout, as the arch describes it: which
 * named region an address falls in (for fault reports), the `layout`
 * table, and `peek`, which dumps memory at any address -- a fault there
 * is reported with the region and the shell carries on.
 */
#include <pagoda/arch.h>
#include <pagoda/errno.h>
#include <pagoda/layout.h>
#include <pagoda/oops.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

struct layout_region {
	unsigned long start;
	unsigned long end; /* exclusive; 0 means "to the top" */
	const char *name;
};

static struct layout_region regions[24];
static int nr_regions;

void layout_reset(void)
{
	nr_regions = 0;
}

void layout_add(unsigned long start, unsigned long end, const char *name)
{
	if (nr_regions == (int)ARRAY_SIZE(regions))
		return;
	regions[nr_regions].start = start;
	regions[nr_regions].end = end;
	regions[nr_regions].name = name;
	nr_regions++;
}

const char *layout_region_name(unsigned long addr)
{
	int n = nr_regions;
	const struct layout_region *r = regions;

	for (int i = 0; i < n; i++) {
		if (addr >= r[i].start && (r[i].end == 0 || addr < r[i].end))
			return r[i].name;
	}
	return "outside the layout";
}

/* The largest binary unit the size reaches, rounded down. */
static void print_size(struct seq_file *m, unsigned long long bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	int u = 0;

	bytes >>= 10;
	while (u + 1 < (int)ARRAY_SIZE(units) && bytes >= 1024) {
		bytes >>= 10;
		u++;
	}
	seq_printf(m, "%5llu %s", bytes, units[u]);
}

static int cmd_layout(struct seq_file *m, int argc, char **argv)
{
	int n = nr_regions, w = 2 * (int)sizeof(long);
	const struct layout_region *r = regions;

	if (argc != 1)
		return shell_usage(m, "layout");
	for (int i = n - 1; i >= 0; i--) {
		unsigned long long size = (r[i].end ? r[i].end : 0) -
					  (unsigned long long)r[i].start;

		if (!r[i].end)
			size = (unsigned long long)(~0UL - r[i].start) + 1;
		if (!size)
			continue;
		seq_printf(m, "%0*lx-%0*lx ", w, r[i].start, w,
			   r[i].end ? r[i].end - 1 : ~0UL);
		print_size(m, size);
		seq_printf(m, "  %s\n", r[i].name);
	}
	return 0;
}
SHELL_COMMAND("layout", "layout", "the kernel's virtual memory layout",
	      cmd_layout);

static int cmd_peek(struct seq_file *m, int argc, char **argv)
{
	unsigned long addr, len = 64;

	if (argc < 2 || argc > 3 || kstrtoul(argv[1], 16, &addr) ||
	    (argc == 3 && kstrtoul(argv[2], 0, &len)))
		return shell_usage(m, "peek");
	if (len == 0 || len > 4096) {
		seq_puts(m, "peek: LEN must be 1..4096\n");
		return -EINVAL;
	}
	if (addr + len - 1 < addr) {
		seq_puts(m, "peek: range wraps around the address space\n");
		return -EINVAL;
	}
	seq_printf(m, "%p is in: %s\n", (void *)addr, layout_region_name(addr));
	for (unsigned long off = 0; off < len; off += 16) {
		const volatile unsigned char *p = (void *)(addr + off);

		seq_printf(m, "%p:", (void *)(addr + off));
		for (unsigned long i = 0; i < 16 && off + i < len; i++)
			seq_printf(m, " %02x", p[i]);
		seq_putc(m, '\n');
	}
	return 0;
}
SHELL_COMMAND("peek", "peek ADDR [LEN]",
	      "hex dump of memory at a virtual address (hex)", cmd_peek);

/*
 * The other half of peek: write bytes anywhere. Meant for breaking
 * things on purpose (a red zone, a free object) to watch the checks
 * catch it; a fault here is an oops the shell survives.
 */
static int cmd_poke(struct seq_file *m, int argc, char **argv)
{
	unsigned long addr, count = 1;
	unsigned int byte;

	if (argc < 3 || argc > 4 || kstrtoul(argv[1], 16, &addr) ||
	    kstrtouint(argv[2], 0, &byte) || byte > 0xff ||
	    (argc == 4 && kstrtoul(argv[3], 0, &count)))
		return shell_usage(m, "poke");
	if (count == 0 || count > 4096 || addr + count - 1 < addr) {
		seq_puts(m, "poke: COUNT must be 1..4096 and stay in the "
			    "address space\n");
		return -EINVAL;
	}
	for (unsigned long i = 0; i < count; i++)
		((volatile unsigned char *)addr)[i] = byte;
	seq_printf(m, "wrote %lu byte%s of %#x at %p (%s)\n", count,
		   count == 1 ? "" : "s", byte, (void *)addr,
		   layout_region_name(addr));
	return 0;
}
SHELL_COMMAND("poke", "poke ADDR BYTE [COUNT]",
	      "write BYTE to COUNT bytes at a virtual address (hex)", cmd_poke);
