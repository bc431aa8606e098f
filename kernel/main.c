/*
 * start_kernel(): the order in which Pagoda comes up, once the arch's
 * entry code has a stack and paging on.
 *
 *   banner         the console works from the first instruction
 *   trap_init      exceptions are reported from here on
 *   setup_arch     firmware memory map -> bootmem -> direct map, iomem
 *   time_init      the periodic tick
 *   parameters     the rest of the command line
 *   shell          interrupts on, prompt on the serial console
 */
#include <pagoda/arch.h>
#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/hardirq.h>
#include <pagoda/init.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/kallsyms.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <pagoda/vmalloc.h>
#include <pagoda/irqflags.h>
#include <pagoda/params.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include <pagoda/time.h>

#define PAGODA_VERSION "0.1"

static void version_show(struct seq_file *m)
{
	seq_printf(m, "Pagoda version %s (%s) built with gcc %s\n",
		   PAGODA_VERSION, arch_name(), __VERSION__);
}
PROC_TABLE("version", version_show);

static void cpuinfo_show(struct seq_file *m)
{
	arch_show_cpu(m);
}
PROC_TABLE("cpuinfo", cpuinfo_show);

static int cmd_poweroff(struct seq_file *m, int argc, char **argv)
{
	int code = 0;

	if (argc > 2 || (argc == 2 && kstrtoint(argv[1], 0, &code)) ||
	    code < 0 || code > 255)
		return shell_usage(m, "poweroff");
	seq_puts(m, "Power down.\n");
	seq_flush(m);
	arch_poweroff(code);
}
SHELL_COMMAND("poweroff", "poweroff [CODE]",
	      "stop the machine (QEMU exits; CODE 0..255 for tests)",
	      cmd_poweroff);

extern char _text[], _etext[], _sdata[], _edata[], __bss_start[], __bss_stop[];

/* Linux's one-line summary once the page allocator owns memory. */
static void print_memory_summary(void)
{
	unsigned long ram = 0;

	for (int i = 0; i < bootmem_nr_memory(); i++)
		ram += bootmem_memory(i)->size >> PAGE_SHIFT;
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK data, "
		"%luK bss, %luK reserved, %luK highmem)\n",
		nr_free_pages() << (PAGE_SHIFT - 10), ram << (PAGE_SHIFT - 10),
		(unsigned long)(_etext - _text) >> 10,
		(unsigned long)(_edata - _sdata) >> 10,
		(unsigned long)(__bss_stop - __bss_start) >> 10,
		(ram - totalram_pages) << (PAGE_SHIFT - 10),
		totalhigh_pages << (PAGE_SHIFT - 10));
}

extern const initcall_t __start_pagoda_initcalls[];
extern const initcall_t __stop_pagoda_initcalls[];

void do_initcalls(void)
{
	for (const initcall_t *fn = __start_pagoda_initcalls;
	     fn < __stop_pagoda_initcalls; fn++) {
		int err = (*fn)();

		if (err)
			pr_err("initcall %pS failed: %d\n", (void *)*fn, err);
	}
}

/* The allocators' set-up, as events: a replay must run them where the
 * trace says they ran. */
static void init_traced(void (*fn)(void), enum kmemtrace_init what)
{
	struct kmemtrace_event *kt =
		kmemtrace_begin(KT_INIT, (unsigned long)fn);

	if (kt)
		kt->arg = what;
	fn();
	kmemtrace_end(kt);
}

void start_kernel(void)
{
	time_mark_boot();
	early_boot = true;
	printk(KERN_NOTICE "Pagoda %s (%s) starting\n", PAGODA_VERSION,
	       arch_name());
	kallsyms_init();
	trap_init();
	setup_arch();
	printk(KERN_NOTICE "Command line: %s\n", boot_command_line);
	mem_init();
	init_traced(kmem_cache_init, KT_INIT_KMEM_CACHE);
	init_traced(kmalloc_init, KT_INIT_KMALLOC);
	init_traced(vmalloc_init, KT_INIT_VMALLOC);
	print_memory_summary();
	arch_devices_init();
	/* Before the initcalls, as Linux sets built-in modules' parameters
	 * before their init runs: scull's sizes are the devices' from the
	 * start, and a cache is created with the size asked for. */
	parse_params(boot_command_line, false);
	do_initcalls();
	time_init();
	early_boot = false;
	local_irq_enable();
	pr_info("Pagoda is up; type 'help'.\n");
	shell_main();
}
