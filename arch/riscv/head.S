/*
 * riscv64 entry from OpenSBI.
 *
 * OpenSBI jumps to the load address (0x80200000 on QEMU virt) in
 * supervisor mode with the MMU off, a0 = hart id, a1 = physical address
 * of the device tree. The kernel is linked at KERNEL_VIRT_BASE + 2 MiB;
 * until Sv39 is on, everything here is reached PC-relative (lla), which
 * works at either address.
 *
 * The boot page table uses 1 GiB pages only: the GiB holding the kernel
 * mapped at its own physical address (so the instruction after the satp
 * write still runs) and at KERNEL_VIRT_BASE, and the first 16 GiB of
 * physical memory at PAGE_OFFSET, enough to read the device tree and
 * build the real tables in paging_init().
 */
#include <asm/csr.h>
#include <asm/page.h>

#define PTE_LEAF_RWX 0xef	/* V R W X G A D */
#define BOOT_DIRECT_GIB 16

	.section .text.head, "ax"
	.globl _start
_start:
	csrw sie, zero
	csrw satp, zero
	lla sp, boot_stack_top
	mv s0, a0
	mv s1, a1

	lla t0, __bss_start
	lla t1, __bss_stop
1:	bgeu t0, t1, 2f
	sd zero, 0(t0)
	addi t0, t0, 8
	j 1b
2:
	lla t0, boot_hartid
	sd s0, 0(t0)
	lla t0, boot_dtb_phys
	sd s1, 0(t0)
	lla t0, _start
	lla t1, kernel_load_phys
	sd t0, 0(t1)
	li t2, KERNEL_VIRT_BASE + 0x200000
	sub t2, t2, t0
	lla t1, kernel_va_pa_offset
	sd t2, 0(t1)

	/* t3 = PTE for the kernel's GiB: PPN (pa >> 12) << 10 | flags. */
	lla a0, boot_pgd
	srli t1, t0, 30			/* the GiB number */
	slli t3, t1, 28
	ori t3, t3, PTE_LEAF_RWX
	slli t2, t1, 3			/* identity slot */
	add t2, a0, t2
	sd t3, 0(t2)
	li t2, ((KERNEL_VIRT_BASE >> 30) & 0x1ff) * 8
	add t2, a0, t2
	sd t3, 0(t2)

	/* Direct map: GiB k at PAGE_OFFSET + k GiB. */
	li t2, ((PAGE_OFFSET >> 30) & 0x1ff) * 8
	add t2, a0, t2
	li t3, PTE_LEAF_RWX
	li t4, 1 << 28
	li t5, BOOT_DIRECT_GIB
3:	sd t3, 0(t2)
	add t3, t3, t4
	addi t2, t2, 8
	addi t5, t5, -1
	bnez t5, 3b

	srli a0, a0, 12
	li t1, SATP_SV39
	or a0, a0, t1
	sfence.vma
	csrw satp, a0
	sfence.vma

	ld t0, higher_half_addr
	jr t0

	.text
higher_half:
	lla sp, boot_stack_top
	lla t0, trap_entry
	csrw stvec, t0
	li s0, 0			/* ends every backtrace */
	li ra, 0
	call start_kernel
4:	wfi
	j 4b

	.section .rodata
	.balign 8
higher_half_addr:
	.dword higher_half

	.data
	.balign 8
	.globl boot_hartid, boot_dtb_phys, kernel_load_phys, kernel_va_pa_offset
boot_hartid:		.dword 0
boot_dtb_phys:		.dword 0
kernel_load_phys:	.dword 0
kernel_va_pa_offset:	.dword 0

	.bss
	.balign 4096
	.globl boot_pgd
boot_pgd:	.skip 4096
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip 32768
boot_stack_top:
