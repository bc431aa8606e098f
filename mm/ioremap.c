/*
 * ioremap: device registers mapped into the vmalloc area.
 *
 * A device's physical range is rounded out to whole pages, mapped
 * uncached, and the address returned keeps the offset within the first
 * page, as the seeds describe. RAM is refused: it is already in the
 * direct map (or reached through kmap), and a second, uncached mapping
 * of it is how caches go inconsistent. iounmap accepts only what ioremap
 * returned.
 */
#include <pagoda/bootmem.h>
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/io.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>

#include "shell_allocs.h"

static void __iomem *ioremap_caller(phys_addr_t phys, unsigned long size,
				    unsigned long caller)
{
	phys_addr_t base = phys & ~(phys_addr_t)(PAGE_SIZE - 1);
	unsigned long offset = phys - base;
	struct vm_struct *area;

	if (!size || phys + size < phys) {
		printk(KERN_ERR "ioremap: bad range %#llx+%#lx from %pS\n",
		       (unsigned long long)phys, size, (void *)caller);
		return NULL;
	}
	if (bootmem_overlaps_memory(phys, phys + size)) {
		printk(KERN_ERR "ioremap: %#llx-%#llx is RAM; refused (from "
				"%pS): use the direct map or kmap\n",
		       (unsigned long long)phys,
		       (unsigned long long)(phys + size - 1), (void *)caller);
		return NULL;
	}
	size = ALIGN(size + offset, PAGE_SIZE);
	area = get_vm_area_caller(size, VM_IOREMAP, caller);
	if (!area)
		return NULL;
	area->phys_addr = base;
	for (unsigned long off = 0; off < size; off += PAGE_SIZE) {
		if (arch_map_page(area->addr + off, base + off,
				  PAGE_KERNEL_NOCACHE, GFP_KERNEL)) {
			remove_vm_area((void *)area->addr);
			free_vm_area(area);
			return NULL;
		}
	}
	return (void __iomem *)(area->addr + offset);
}

static void __iomem *ioremap_traced(phys_addr_t phys, unsigned long size,
				    unsigned long caller)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_IOREMAP, caller);
	void __iomem *addr;

	if (kt) {
		kt->arg = (unsigned long)phys;
		kt->size = size;
	}
	addr = ioremap_caller(phys, size, caller);
	kmemtrace_result(kt, (unsigned long)addr);
	kmemtrace_end(kt);
	return addr;
}

void __iomem *ioremap(phys_addr_t phys, unsigned long size)
{
	return ioremap_traced(phys, size, _RET_IP_);
}

void __iomem *ioremap_nocache(phys_addr_t phys, unsigned long size)
{
	return ioremap_traced(phys, size, _RET_IP_);
}

static struct vm_struct *ioremap_area(const volatile void __iomem *addr)
{
	struct vm_struct *area =
		find_vm_area((void *)((unsigned long)addr & PAGE_MASK));

	return area && (area->flags & VM_IOREMAP) ? area : NULL;
}

static void __iounmap(volatile void __iomem *addr, unsigned long caller)
{
	struct vm_struct *area = ioremap_area(addr);

	if (!area) {
		printk(KERN_ERR "BUG: iounmap(%p) from %pS: not an address "
				"ioremap returned; ignored\n",
		       (void *)addr, (void *)caller);
		dump_stack();
		return;
	}
	remove_vm_area((void *)area->addr);
	free_vm_area(area);
}

void iounmap(volatile void __iomem *addr)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_IOUNMAP, _RET_IP_);

	if (kt)
		kt->ptr = (unsigned long)addr;
	__iounmap(addr, _RET_IP_);
	kmemtrace_end(kt);
}

/* Any address inside a live mapping: the shell's readl/writel use this. */
bool ioremap_addr_ok(const volatile void __iomem *addr, unsigned long len)
{
	unsigned long a = (unsigned long)addr;

	if (!is_vmalloc_addr((void *)a))
		return false;
	for (unsigned long page = a & PAGE_MASK;; page -= PAGE_SIZE) {
		struct vm_struct *area = find_vm_area((void *)page);

		if (area)
			return (area->flags & VM_IOREMAP) &&
			       len <= area->addr + area->size - PAGE_SIZE - a;
		if (page - PAGE_SIZE < VMALLOC_START)
			return false;
		if (a - page > (64UL << 20))
			return false; /* no device window is this big */
	}
}

/* ---- shell ---- */

static int cmd_ioremap(struct seq_file *m, int argc, char **argv)
{
	unsigned long long phys, len;
	void __iomem *p;

	if (argc != 3 || kstrtoull(argv[1], 16, &phys) ||
	    kstrtosize(argv[2], &len) || !len || len > (64ULL << 20))
		return shell_usage(m, "ioremap");
	if (!shell_alloc_room(m, "ioremap"))
		return -ENOSPC;
	p = ioremap(phys, len);
	if (!p)
		return -EINVAL;
	shell_alloc_add(SHELL_IOREMAP, (unsigned long)p, 0, 0);
	seq_printf(m, "%#llx+%#llx mapped at %p\n", phys, len, (void *)p);
	return 0;
}
SHELL_COMMAND("ioremap", "ioremap PHYS LEN",
	      "map device registers (hex address; RAM is refused)",
	      cmd_ioremap);

static int cmd_iounmap(struct seq_file *m, int argc, char **argv)
{
	unsigned long addr;
	int err = shell_alloc_take(m, argc, argv, SHELL_IOREMAP, &addr);

	if (err)
		return err;
	iounmap((void __iomem *)addr);
	return 0;
}
SHELL_COMMAND("iounmap", "iounmap ADDR",
	      "undo an ioremap the shell made (nothing else)", cmd_iounmap);

static int io_addr(struct seq_file *m, char **argv, unsigned long *addr)
{
	const char *arg = argv[1];

	if (kstrtoul(arg, 16, addr) || (*addr & 3)) {
		seq_printf(m, "%s: %s: not a 4-byte aligned hex address\n",
			   argv[0], arg);
		return -EINVAL;
	}
	if (!ioremap_addr_ok((void __iomem *)*addr, 4)) {
		seq_printf(m, "%s: %s: not inside an ioremap mapping\n",
			   argv[0], arg);
		return -EFAULT;
	}
	return 0;
}

static int cmd_readl(struct seq_file *m, int argc, char **argv)
{
	unsigned long addr;
	int err;

	if (argc != 2)
		return shell_usage(m, "readl");
	err = io_addr(m, argv, &addr);
	if (err)
		return err;
	seq_printf(m, "%#010x\n", readl((void __iomem *)addr));
	return 0;
}
SHELL_COMMAND("readl", "readl ADDR", "read a 32-bit device register",
	      cmd_readl);

static int cmd_writel(struct seq_file *m, int argc, char **argv)
{
	unsigned long addr;
	unsigned int val;
	int err;

	if (argc != 3 || kstrtouint(argv[2], 0, &val))
		return shell_usage(m, "writel");
	err = io_addr(m, argv, &addr);
	if (err)
		return err;
	writel(val, (void __iomem *)addr);
	return 0;
}
SHELL_COMMAND("writel", "writel ADDR VAL", "write a 32-bit device register",
	      cmd_writel);
