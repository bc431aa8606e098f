/*
 * i386 entry from GRUB (multiboot2).
 *
 * GRUB jumps here in 32-bit protected mode with paging off, EAX holding
 * the multiboot2 magic and EBX the physical address of the boot
 * information. The kernel is linked at PAGE_OFFSET + 1 MiB but loaded at
 * 1 MiB, so until paging is on every symbol is used minus PAGE_OFFSET.
 *
 * Steps: save the handover, clear .bss, copy the boot information into
 * the kernel (so nothing GRUB left behind has to stay mapped), build a
 * boot page directory of 4 MiB pages mapping the first 896 MiB both at 0
 * (for the next few instructions) and at PAGE_OFFSET, turn paging on,
 * and jump to start_kernel() in the higher half. paging_init() later
 * replaces this directory with real 4 KiB page tables.
 */
#include <asm/page.h>
#define MBI_COPY_SIZE 32768

#define PHYS(x) ((x) - PAGE_OFFSET)
#define MB2_MAGIC 0xe85250d6
#define MB2_BOOT_MAGIC 0x36d76289
#define BOOT_PDES 224		/* 896 MiB: the most low memory can be */

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long 0					/* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + (mb2_header_end - mb2_header))
	.short 0, 0				/* end tag */
	.long 8
mb2_header_end:

	.section .text.head, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl $PHYS(boot_stack_top), %esp
	movl %eax, PHYS(boot_magic)
	movl %ebx, PHYS(boot_mbi_phys)

	movl $PHYS(__bss_start), %edi
	movl $PHYS(__bss_stop), %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb

	cmpl $MB2_BOOT_MAGIC, PHYS(boot_magic)
	jne 2f
	movl PHYS(boot_mbi_phys), %esi
	movl (%esi), %ecx			/* total_size */
	cmpl $MBI_COPY_SIZE, %ecx
	jbe 1f
	movl $MBI_COPY_SIZE, %ecx
1:	movl $PHYS(boot_mbi_copy), %edi
	rep movsb
2:
	/* 4 MiB pages: present | writable | page size. */
	movl $PHYS(boot_pgdir), %edi
	movl $0x83, %eax
	movl %eax, (%edi)
	leal ((PAGE_OFFSET >> 22) * 4)(%edi), %edx
	movl $BOOT_PDES, %ecx
3:	movl %eax, (%edx)
	addl $0x400000, %eax
	addl $4, %edx
	loop 3b

	movl %cr4, %eax
	orl $0x10, %eax				/* CR4.PSE */
	movl %eax, %cr4
	movl %edi, %cr3
	movl %cr0, %eax
	orl $0x80010000, %eax			/* CR0.PG | CR0.WP */
	movl %eax, %cr0
	movl $higher_half, %eax
	jmp *%eax

	.text
higher_half:
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp				/* ends every backtrace */
	call start_kernel
4:	cli
	hlt
	jmp 4b

	.data
	.globl boot_magic, boot_mbi_phys
boot_magic:	.long 0
boot_mbi_phys:	.long 0

	.bss
	.balign 4096
	.globl boot_pgdir
boot_pgdir:	.skip 4096
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip 32768
boot_stack_top:
	.balign 8
	.globl boot_mbi_copy
boot_mbi_copy:	.skip MBI_COPY_SIZE
