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
#include <pagoda/kallsyms.h>
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

void start_kernel(void)
{
	time_mark_boot();
	printk(KERN_NOTICE "Pagoda %s (%s) starting\n", PAGODA_VERSION,
	       arch_name());
	kallsyms_init();
	trap_init();
	setup_arch();
	printk(KERN_NOTICE "Command line: %s\n", boot_command_line);
	time_init();
	parse_params(boot_command_line, false);
	local_irq_enable();
	pr_info("bootmem: %llu KiB free of %llu KiB\n",
		(unsigned long long)(bootmem_free_bytes() >> 10),
		(unsigned long long)(bootmem_memory_bytes() >> 10));
	pr_info("Pagoda is up; type 'help'.\n");
	shell_main();
}
