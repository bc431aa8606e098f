/*
 * The i386 segment table. Paging does all the protection work, so the
 * segments are flat (base 0, limit 4 GiB): a kernel code segment at
 * selector 0x08 and a kernel data segment at 0x10. GRUB's own table is
 * left behind because its memory is not ours to keep.
 */
#include <asm/x86.h>

struct gdt_ptr {
	u16 limit;
	u32 base;
} __attribute__((packed));

/* access byte 0x9a: present, ring 0, code, readable; 0x92: data, writable.
 * flags 0xc: 4 KiB granularity, 32-bit. */
static u64 gdt[3] __attribute__((aligned(8))) = {
	0,
	0x00cf9a000000ffffULL,
	0x00cf92000000ffffULL,
};

void gdt_init(void)
{
	struct gdt_ptr p = { sizeof(gdt) - 1, (u32)gdt };

	__asm__ __volatile__("lgdt %0\n\t"
			     "ljmp $0x08, $1f\n"
			     "1:\n\t"
			     "movl $0x10, %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "movl %%eax, %%fs\n\t"
			     "movl %%eax, %%gs\n\t"
			     "movl %%eax, %%ss\n\t"
			     :
			     : "m"(p)
			     : "eax", "memory");
}
