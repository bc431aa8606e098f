/*
 * The `trace` shell command: start, stop, clear and print the
 * allocation trace of mm/kmemtrace.c. Without the boot option the first
 * `trace start` takes its buffer from vmalloc (before recording begins,
 * so that allocation is not in the trace) and keeps it. The buffer of
 * the boot option came from bootmem and can never be given back: a
 * start that fits in it reuses it.
 */
#include <pagoda/arch.h>
#include <pagoda/errno.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/params.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>

#define DEFAULT_EVENTS 65536UL
#define RECORD	       sizeof(struct kmemtrace_event)

static void *shell_buffer;
static unsigned long shell_buffer_events;
static bool in_shell_buffer; /* else in the boot buffer, if any */

static void trace_status(struct seq_file *m)
{
	unsigned long boot_bytes;
	void *boot = kmemtrace_boot_buffer(&boot_bytes);

	seq_printf(m,
		   "trace: %s, %lu events, buffer %lu records (%lu hold the "
		   "snapshot; %lu bytes each), %lu lost\n",
		   kmemtrace_recording() ? "recording"
		   : kmemtrace_active	 ? "full"
					 : "stopped",
		   kmemtrace_events(), kmemtrace_capacity(),
		   kmemtrace_snapshot_records(), (unsigned long)RECORD,
		   kmemtrace_lost());
	if (boot && in_shell_buffer)
		seq_printf(m,
			   "trace: the boot buffer (%lu records) is unused "
			   "and cannot be given back; a start of up to that "
			   "many events goes back to it\n",
			   boot_bytes / RECORD);
}

static void use_boot_buffer(void *boot, unsigned long events)
{
	kmemtrace_set_buffer(boot, events * RECORD);
	in_shell_buffer = false;
	if (shell_buffer)
		vfree(shell_buffer);
	shell_buffer = NULL;
	shell_buffer_events = 0;
}

/* A buffer of `events`, or the one there is when none is asked for. */
static int trace_buffer(struct seq_file *m, unsigned long events)
{
	unsigned long boot_bytes;
	void *boot = kmemtrace_boot_buffer(&boot_bytes);
	void *b;

	if (!events && kmemtrace_capacity())
		return 0;
	if (!events)
		events = DEFAULT_EVENTS;
	if (boot && events <= boot_bytes / RECORD) {
		use_boot_buffer(boot, events);
		return 0;
	}
	if (events == shell_buffer_events) {
		kmemtrace_set_buffer(shell_buffer, events * RECORD);
		return 0;
	}
	kmemtrace_stop();
	b = vmalloc(events * RECORD);
	if (!b) {
		seq_printf(m, "trace: no memory for %lu events\n", events);
		return -ENOMEM;
	}
	kmemtrace_set_buffer(b, events * RECORD);
	in_shell_buffer = true;
	if (shell_buffer)
		vfree(shell_buffer);
	shell_buffer = b;
	shell_buffer_events = events;
	return 0;
}

static int trace_start(struct seq_file *m, int argc, char **argv)
{
	unsigned long events = 0;
	int err;

	if (argc == 3 &&
	    (kstrtoul(argv[2], 0, &events) || events < KMEMTRACE_MIN_EVENTS ||
	     events > KMEMTRACE_MAX_EVENTS)) {
		seq_printf(m, "trace: EVENTS must be %lu..%lu\n",
			   KMEMTRACE_MIN_EVENTS, KMEMTRACE_MAX_EVENTS);
		return -EINVAL;
	}
	err = trace_buffer(m, events);
	if (err)
		return err;
	err = kmemtrace_start();
	if (err == -ENOSPC)
		seq_printf(m,
			   "trace: the buddy snapshot does not fit in %lu "
			   "events\n",
			   kmemtrace_capacity());
	else if (!err)
		trace_status(m);
	return err;
}

static int cmd_trace(struct seq_file *m, int argc, char **argv)
{
	if (argc == 1) {
		trace_status(m);
		return 0;
	}
	if (!strcmp(argv[1], "start") && argc <= 3)
		return trace_start(m, argc, argv);
	if (argc != 2)
		return shell_usage(m, "trace");
	if (!strcmp(argv[1], "stop")) {
		kmemtrace_stop();
		trace_status(m);
	} else if (!strcmp(argv[1], "dump")) {
		kmemtrace_dump(m, arch_name(), boot_command_line);
	} else if (!strcmp(argv[1], "clear")) {
		kmemtrace_clear();
		trace_status(m);
	} else {
		return shell_usage(m, "trace");
	}
	return 0;
}
SHELL_COMMAND("trace", "trace [start [EVENTS]|stop|dump|clear]",
	      "record every allocation and free (docs/kmemtrace.md)",
	      cmd_trace);
