/*
 * Calls into the Supervisor Binary Interface (OpenSBI, in M-mode): the
 * timer, the console before the UART is found, and power off. The
 * calling convention is an ecall with the extension id in a7 and the
 * function id in a6.
 */
#include <asm/riscv.h>

#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_SRST 0x53525354

struct sbiret sbi_ecall(int ext, int fid, unsigned long a0,
			unsigned long a1, unsigned long a2)
{
	register unsigned long r_a0 __asm__("a0") = a0;
	register unsigned long r_a1 __asm__("a1") = a1;
	register unsigned long r_a2 __asm__("a2") = a2;
	register unsigned long r_a6 __asm__("a6") = fid;
	register unsigned long r_a7 __asm__("a7") = ext;
	struct sbiret ret;

	__asm__ __volatile__("ecall"
			     : "+r"(r_a0), "+r"(r_a1)
			     : "r"(r_a2), "r"(r_a6), "r"(r_a7)
			     : "memory");
	ret.error = r_a0;
	ret.value = r_a1;
	return ret;
}

bool sbi_probe_extension(long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, 3, ext, 0, 0);

	return r.error == 0 && r.value != 0;
}

void sbi_console_putchar(int c)
{
	sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, c, 0, 0);
}

void sbi_set_timer(u64 when)
{
	static int has_time = -1;

	if (has_time < 0)
		has_time = sbi_probe_extension(SBI_EXT_TIME);
	if (has_time)
		sbi_ecall(SBI_EXT_TIME, 0, when, 0, 0);
	else
		sbi_ecall(SBI_EXT_LEGACY_SET_TIMER, 0, when, 0, 0);
}

/* System reset: type 0 = shutdown; reason 1 = system failure. */
void sbi_shutdown(bool failure)
{
	if (sbi_probe_extension(SBI_EXT_SRST))
		sbi_ecall(SBI_EXT_SRST, 0, 0, failure ? 1 : 0, 0);
	sbi_ecall(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
	for (;;)
		__asm__ __volatile__("wfi");
}
