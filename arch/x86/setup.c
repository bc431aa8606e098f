/*
 * i386 setup_arch(): from GRUB's multiboot2 information to a kernel
 * with its direct map.
 *
 * The boot information was copied into the kernel by head.S. Its memory
 * map (tag 6) says which physical ranges are RAM; usable RAM goes to
 * bootmem, and every range goes to /proc/iomem under its firmware type.
 * Low memory, the part the kernel maps permanently, ends at the lesser
 * of the top of RAM and the start of the room kept for vmalloc, pkmap
 * and fixmap (about 896 MiB by default, as in Linux; vmalloc= moves it).
 */
#include <asm/page.h>
#include <asm/x86.h>
#include <pagoda/arch.h>
#include <pagoda/bootmem.h>
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/params.h>
#include <pagoda/printk.h>
#include <pagoda/resource.h>
#include <pagoda/string.h>

#define MB2_BOOT_MAGIC 0x36d76289
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER 2
#define MB2_TAG_MMAP 6

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_mmap_entry {
	u64 base;
	u64 len;
	u32 type;
	u32 reserved;
};

#define MAX_MMAP 64
static struct mb2_mmap_entry mmap[MAX_MMAP];
static int nr_mmap;
static char loader_name[64] = "unknown";
static unsigned long vmalloc_reserve = VMALLOC_RESERVE_DEFAULT;
phys_addr_t max_low_phys;

extern char _text[], _etext[], _edata[], __bss_start[], __bss_stop[],
	_end[];

static int set_vmalloc(const char *val)
{
	unsigned long long v;
	int err = val ? kstrtosize(val, &v) : -EINVAL;

	if (err)
		return err;
	/* Leave at least 64 MiB of low memory and 8 MiB of vmalloc. */
	if (v < (8UL << 20) || v > VMALLOC_END - PAGE_OFFSET - (64UL << 20))
		return -ERANGE;
	vmalloc_reserve = ALIGN(v, 4UL << 20);
	return 0;
}
early_param("vmalloc", set_vmalloc);

static const char *mmap_type_name(u32 type)
{
	switch (type) {
	case 1:
		return "System RAM";
	case 3:
		return "ACPI Tables";
	case 4:
		return "ACPI Non-volatile Storage";
	case 5:
		return "Unusable memory";
	default:
		return "reserved";
	}
}

static void parse_mmap(const struct mb2_tag *tag)
{
	const u8 *p = (const u8 *)tag + 16;
	const u8 *end = (const u8 *)tag + tag->size;
	u32 esize = ((const u32 *)tag)[2];

	if (esize < sizeof(struct mb2_mmap_entry)) {
		pr_err("multiboot2: memory map entry size %u too small\n",
		       esize);
		return;
	}
	for (; p + esize <= end; p += esize) {
		if (nr_mmap == MAX_MMAP) {
			pr_warn("multiboot2: more than %d map entries; rest "
				"ignored\n",
				MAX_MMAP);
			return;
		}
		memcpy(&mmap[nr_mmap++], p, sizeof(mmap[0]));
	}
}

static void parse_multiboot(void)
{
	u32 total = *(u32 *)boot_mbi_copy;
	const u8 *p = boot_mbi_copy + 8;
	const u8 *end = boot_mbi_copy + min(total, (u32)MBI_COPY_SIZE);

	if (boot_magic != MB2_BOOT_MAGIC)
		panic("not started by a multiboot2 loader (eax %#x)\n",
		      boot_magic);
	if (total > MBI_COPY_SIZE)
		pr_warn("multiboot2: information is %u bytes; only the first "
			"%u were kept\n",
			total, MBI_COPY_SIZE);
	while (p + sizeof(struct mb2_tag) <= end) {
		const struct mb2_tag *tag = (const void *)p;
		size_t len = tag->size - sizeof(*tag);

		if (tag->type == MB2_TAG_END || tag->size < 8 ||
		    p + tag->size > end)
			break;
		if (tag->type == MB2_TAG_CMDLINE)
			strlcpy(boot_command_line, (const char *)(tag + 1),
				min(len + 1, sizeof(boot_command_line)));
		else if (tag->type == MB2_TAG_LOADER)
			strlcpy(loader_name, (const char *)(tag + 1),
				min(len + 1, sizeof(loader_name)));
		else if (tag->type == MB2_TAG_MMAP)
			parse_mmap(tag);
		p += ALIGN(tag->size, 8);
	}
	if (!nr_mmap)
		panic("multiboot2: the loader gave no memory map\n");
}

static void print_mmap(void)
{
	pr_info("multiboot2: loader \"%s\", %d memory map entries\n",
		loader_name, nr_mmap);
	for (int i = 0; i < nr_mmap; i++)
		pr_info("  [mem %#018llx-%#018llx] %s\n",
			(unsigned long long)mmap[i].base,
			(unsigned long long)(mmap[i].base + mmap[i].len - 1),
			mmap[i].type == 1 ? "usable" :
					    mmap_type_name(mmap[i].type));
}

/* Usable RAM to bootmem (which applies mem=); returns the top of low RAM. */
static phys_addr_t feed_bootmem(void)
{
	phys_addr_t maxmem = VMALLOC_END - PAGE_OFFSET - vmalloc_reserve;
	phys_addr_t top = 0, ignored = 0;

	for (int i = 0; i < nr_mmap; i++) {
		phys_addr_t s = mmap[i].base, e = s + mmap[i].len;

		if (mmap[i].type != 1)
			continue;
		s = ALIGN(s, PAGE_SIZE);
		e = ALIGN_DOWN(e, PAGE_SIZE);
		if (e > 0x100000000ULL) {
			ignored += e - max(s, 0x100000000ULL);
			e = 0x100000000ULL;
		}
		if (s >= e)
			continue;
		bootmem_add_memory(s, e - s);
	}
	for (int i = 0; i < bootmem_nr_memory(); i++) {
		const struct bootmem_region *r = bootmem_memory(i);

		top = max(top, r->base + r->size);
	}
	if (ignored)
		pr_warn("memory: %llu MiB above 4 GiB cannot be addressed "
			"without PAE; ignored\n",
			(unsigned long long)(ignored >> 20));
	return bootmem_lowmem_end(min(top, maxmem));
}

static void register_iomem(void)
{
	bootmem_register_iomem();
	for (int i = 0; i < nr_mmap; i++) {
		if (mmap[i].type != 1)
			iomem_add(mmap[i].base, mmap[i].len,
				  mmap_type_name(mmap[i].type));
	}
	iomem_add(0, PAGE_SIZE, "reserved");
	iomem_add(__pa(_text), _etext - _text, "Kernel code");
	iomem_add(__pa(_etext), _edata - _etext, "Kernel data");
	iomem_add(__pa(__bss_start), __bss_stop - __bss_start, "Kernel bss");
}

void setup_arch(void)
{
	serial_init();
	parse_multiboot();
	print_mmap();
	parse_params(boot_command_line, true);

	max_low_phys = feed_bootmem();
	/* The real-mode IVT and BIOS data live in the first page. */
	reserve_bootmem(0, PAGE_SIZE, "BIOS data page");
	reserve_bootmem(__pa(_text), _end - _text, "Kernel image");
	bootmem_set_limits(MAX_DMA_PHYS, max_low_phys);

	paging_init();
	arch_layout_init();
	register_iomem();
	pr_info("memory: %llu KiB RAM, low memory 0-%#llx mapped at %#lx\n",
		(unsigned long long)(bootmem_memory_bytes() >> 10),
		(unsigned long long)max_low_phys, PAGE_OFFSET);
}
