/*
 * The `trace` shell command: start, stop, clear and print the
 * allocation trace of mm/kmemtrace.c. Without the boot option the first
 * `trace start` takes its buffer from vmalloc (before recording begins,
 * so that allocation is not in the trace) and keeps it.
 */
#include <pagoda/arch.h>
#include <pagoda/errno.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/params.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>

#define DEFAULT_EVENTS 65536UL
#define MAX_EVENTS     (16UL << 20)

static void *shell_buffer;
static unsigned long shell_buffer_events;

static void trace_status(struct seq_file *m)
{
	seq_printf(m,
		   "trace: %s, %lu events, buffer %lu events (%lu bytes "
		   "each), %lu lost\n",
		   kmemtrace_recording() ? "recording"
		   : kmemtrace_active	 ? "full"
					 : "stopped",
		   kmemtrace_events(), kmemtrace_capacity(),
		   (unsigned long)sizeof(struct kmemtrace_event),
		   kmemtrace_lost());
}

/* A buffer of `events`, or the one there is when none is asked for. */
static int trace_buffer(struct seq_file *m, unsigned long events)
{
	void *b;

	if (!events && kmemtrace_capacity())
		return 0;
	if (!events)
		events = DEFAULT_EVENTS;
	if (events == shell_buffer_events) {
		kmemtrace_set_buffer(shell_buffer,
				     events * sizeof(struct kmemtrace_event));
		return 0;
	}
	kmemtrace_stop();
	b = vmalloc(events * sizeof(struct kmemtrace_event));
	if (!b) {
		seq_printf(m, "trace: no memory for %lu events\n", events);
		return -ENOMEM;
	}
	kmemtrace_set_buffer(b, events * sizeof(struct kmemtrace_event));
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

	if (argc == 3 && (kstrtoul(argv[2], 0, &events) || events < 1024 ||
			  events > MAX_EVENTS)) {
		seq_printf(m, "trace: EVENTS must be 1024..%lu\n", MAX_EVENTS);
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
