/*
 * Registers as arch/x86/entry.S saves them on a trap, lowest address
 * first. The CPU pushed eip, cs, eflags (and, for some exceptions, the
 * error code); the stub pushed the vector (and a 0 error code otherwise).
 */
#ifndef ASM_X86_PTRACE_H
#define ASM_X86_PTRACE_H

#include <pagoda/types.h>

struct pt_regs {
	u32 gs, fs, es, ds;
	u32 edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
	u32 vector, error;
	u32 eip, cs, eflags;
};

#endif
