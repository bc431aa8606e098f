/*
 * i386 trap entry. One 16-byte stub per vector (0..47: the CPU's
 * exceptions and the PIC's 16 IRQs) pushes a dummy error code where the
 * CPU does not, then the vector number, and joins the common path, which
 * saves every register as struct pt_regs and calls do_trap(regs).
 * traps.c finds stub n at isr_stubs + 16 * n.
 */
	.text
	.balign 16
	.globl isr_stubs
isr_stubs:
	.set vec, 0
	.rept 48
	.balign 16
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushl $0
	.endif
	pushl $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

isr_common:
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %esp, %eax
	pushl %eax
	call do_trap
	addl $4, %esp
	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	addl $8, %esp				/* vector and error code */
	iret
