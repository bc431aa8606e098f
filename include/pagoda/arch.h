/*
 * What every architecture provides to the rest of the kernel. This is
 * the whole boundary: arch/<arch>/ implements these, and mm/, kernel/,
 * lib/ and drivers/ use nothing else that is CPU- or machine-specific.
 * Inline pieces (interrupt flags, page constants) live in the arch's
 * asm/ headers; see asm/page.h and asm/irqflags.h.
 */
#ifndef PAGODA_ARCH_H
#define PAGODA_ARCH_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>

struct seq_file;

/* Where the arch's entry code goes once it has a stack (kernel/main.c). */
void start_kernel(void);

/* Boot: console up, firmware map into bootmem, direct map built. */
void setup_arch(void);
/* Exceptions and interrupt controller ready; interrupts still off. */
void trap_init(void);
/* Once ioremap works: map the machine's devices (timers, UART, RTC). */
void arch_devices_init(void);
/*
 * Device registers whose values the device itself defines, for the
 * ioremap self-test: (the register & mask) must lie in [min, max]. A
 * register is read with its own width (1 or 4 bytes): some devices, the
 * 16550 among them, answer only byte accesses.
 */
struct mmio_probe {
	const char *what;
	phys_addr_t phys;
	unsigned int offset;
	unsigned int width;
	u32 mask, min, max;
};
const struct mmio_probe *arch_mmio_probes(int *count);

/* Start the periodic tick (calls timer_tick() at HZ). */
void time_init(void);

/* Console: polled output, and input that never waits (-1: nothing). */
void arch_console_putc(char c);
int arch_console_getc(void);

/*
 * Wait for the next interrupt and return with interrupts enabled. Call
 * it with interrupts off after finding nothing to do: enabling them and
 * waiting is one step (x86: sti; hlt), or the wait ends at once on an
 * interrupt already pending (riscv: wfi), so none that came after the
 * check is slept through.
 */
void arch_idle(void);
/* A free-running counter (TSC, time CSR) and its frequency in Hz. */
u64 arch_cycles(void);
u64 arch_cycles_hz(void);
/*
 * Instructions retired, where the CPU has a counter the kernel can read
 * (riscv's instret); false where it has none (i386 has no architectural
 * one). QEMU counts real instructions only under -icount; without it,
 * instret follows the host's clock.
 */
bool arch_instret(u64 *count);

/* Wall-clock time from the machine's RTC, in seconds since 1970;
 * -ENODEV without one. */
int arch_rtc_seconds(u64 *seconds);

__noreturn void arch_poweroff(int code);
__noreturn void arch_halt(void);

/*
 * One step up the call chain: the frame at fp holds the return address
 * and the caller's frame pointer. False when fp is not a frame on the
 * kernel stack. kernel/stacktrace.c does the walking.
 */
bool arch_unwind_frame(unsigned long fp, unsigned long *ra,
		       unsigned long *next);
/* A trapped context's call chain: its pc first, then its callers. */
struct pt_regs;
int arch_stack_walk_regs(const struct pt_regs *regs, unsigned long *pcs,
			 int max);

/*
 * Temporary kernel mappings (the fixmap, under kmap_atomic): map the
 * physical page pa at fixmap slot `slot` and return its virtual address;
 * unmap it again. Slots are below FIXADDR_PAGES.
 */
void *arch_kmap_slot(unsigned int slot, phys_addr_t pa);
void arch_kunmap_slot(unsigned int slot);

/* Describe the virtual memory layout with layout_add() (kernel/layout.c). */
void arch_layout_init(void);
/* The architecture's name, machine and a one-line boot summary. */
const char *arch_name(void);
void arch_show_cpu(struct seq_file *m);

/*
 * A saved context to return to after an oops in a shell command
 * (arch/<arch>/setjmp.S): arch_setjmp returns 0, then 1 when
 * arch_longjmp lands there.
 */
struct arch_jmp_buf {
	unsigned long regs[16];
};
int arch_setjmp(struct arch_jmp_buf *jb) __attribute__((returns_twice));
__noreturn void arch_longjmp(struct arch_jmp_buf *jb);

#endif
