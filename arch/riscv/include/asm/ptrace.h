/*
 * Registers as arch/riscv/entry.S saves them on a trap: x1..x31 in
 * regs[1..31] (regs[0] is unused: x0 is always zero), then the CSRs that
 * say where and why.
 */
#ifndef ASM_RISCV_PTRACE_H
#define ASM_RISCV_PTRACE_H

struct pt_regs {
	unsigned long regs[32];
	unsigned long sepc;
	unsigned long sstatus;
	unsigned long scause;
	unsigned long stval;
};

#define PT_RA 1
#define PT_SP 2
#define PT_FP 8

#endif
