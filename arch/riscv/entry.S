/*
 * riscv64 trap entry (stvec, direct mode). The kernel is the only thing
 * that runs, so a trap always arrives on the kernel stack: save every
 * register and the trap CSRs as struct pt_regs below the current sp,
 * call do_trap(regs), restore, sret.
 */
#define REGBYTES 8
#define PT_SIZE (36 * REGBYTES)

	.text
	.balign 4
	.globl trap_entry
trap_entry:
	addi sp, sp, -PT_SIZE
	sd x1, 1*REGBYTES(sp)
	sd x3, 3*REGBYTES(sp)
	sd x4, 4*REGBYTES(sp)
	sd x5, 5*REGBYTES(sp)
	sd x6, 6*REGBYTES(sp)
	sd x7, 7*REGBYTES(sp)
	sd x8, 8*REGBYTES(sp)
	sd x9, 9*REGBYTES(sp)
	sd x10, 10*REGBYTES(sp)
	sd x11, 11*REGBYTES(sp)
	sd x12, 12*REGBYTES(sp)
	sd x13, 13*REGBYTES(sp)
	sd x14, 14*REGBYTES(sp)
	sd x15, 15*REGBYTES(sp)
	sd x16, 16*REGBYTES(sp)
	sd x17, 17*REGBYTES(sp)
	sd x18, 18*REGBYTES(sp)
	sd x19, 19*REGBYTES(sp)
	sd x20, 20*REGBYTES(sp)
	sd x21, 21*REGBYTES(sp)
	sd x22, 22*REGBYTES(sp)
	sd x23, 23*REGBYTES(sp)
	sd x24, 24*REGBYTES(sp)
	sd x25, 25*REGBYTES(sp)
	sd x26, 26*REGBYTES(sp)
	sd x27, 27*REGBYTES(sp)
	sd x28, 28*REGBYTES(sp)
	sd x29, 29*REGBYTES(sp)
	sd x30, 30*REGBYTES(sp)
	sd x31, 31*REGBYTES(sp)
	addi t0, sp, PT_SIZE
	sd t0, 2*REGBYTES(sp)		/* sp before the trap */
	csrr t0, sepc
	sd t0, 32*REGBYTES(sp)
	csrr t0, sstatus
	sd t0, 33*REGBYTES(sp)
	csrr t0, scause
	sd t0, 34*REGBYTES(sp)
	csrr t0, stval
	sd t0, 35*REGBYTES(sp)

	mv a0, sp
	call do_trap

	ld t0, 32*REGBYTES(sp)
	csrw sepc, t0
	ld t0, 33*REGBYTES(sp)
	csrw sstatus, t0
	ld x1, 1*REGBYTES(sp)
	ld x3, 3*REGBYTES(sp)
	ld x4, 4*REGBYTES(sp)
	ld x5, 5*REGBYTES(sp)
	ld x6, 6*REGBYTES(sp)
	ld x7, 7*REGBYTES(sp)
	ld x8, 8*REGBYTES(sp)
	ld x9, 9*REGBYTES(sp)
	ld x10, 10*REGBYTES(sp)
	ld x11, 11*REGBYTES(sp)
	ld x12, 12*REGBYTES(sp)
	ld x13, 13*REGBYTES(sp)
	ld x14, 14*REGBYTES(sp)
	ld x15, 15*REGBYTES(sp)
	ld x16, 16*REGBYTES(sp)
	ld x17, 17*REGBYTES(sp)
	ld x18, 18*REGBYTES(sp)
	ld x19, 19*REGBYTES(sp)
	ld x20, 20*REGBYTES(sp)
	ld x21, 21*REGBYTES(sp)
	ld x22, 22*REGBYTES(sp)
	ld x23, 23*REGBYTES(sp)
	ld x24, 24*REGBYTES(sp)
	ld x25, 25*REGBYTES(sp)
	ld x26, 26*REGBYTES(sp)
	ld x27, 27*REGBYTES(sp)
	ld x28, 28*REGBYTES(sp)
	ld x29, 29*REGBYTES(sp)
	ld x30, 30*REGBYTES(sp)
	ld x31, 31*REGBYTES(sp)
	addi sp, sp, PT_SIZE
	sret
