/*
 * riscv64 setup_arch(): from the device tree OpenSBI passed in a1 to a
 * kernel with its direct map.
 *
 * The tree says everything: RAM (memory nodes), what firmware keeps for
 * itself (/reserved-memory children -- OpenSBI's own region -- and the
 * header's reservation block), the command line (/chosen bootargs), the
 * timer rate (/cpus timebase-frequency) and the console UART. RAM goes to
 * bootmem; the reservations, the tree itself and the kernel image are
 * kept out of it.
 */
#include <asm/page.h>
#include <asm/riscv.h>
#include <pagoda/arch.h>
#include <pagoda/bootmem.h>
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/fdt.h>
#include <pagoda/mmzone.h>
#include <pagoda/params.h>
#include <pagoda/printk.h>
#include <pagoda/resource.h>
#include <pagoda/string.h>

/* What the boot page table maps at PAGE_OFFSET (head.S). */
#define BOOT_DIRECT_LIMIT (16ULL << 30)
#define FDT_MAX_SIZE (2U << 20)

phys_addr_t direct_map_end;
phys_addr_t uart_phys, test_dev_phys;
u32 uart_irq_line;
static u64 uart_size, test_dev_size;
static struct fdt fdt;
static phys_addr_t lowmem_size = DIRECT_MAP_DEFAULT;

static int set_lowmem(const char *val)
{
	unsigned long long v;
	int err = val ? kstrtosize(val, &v) : -EINVAL;

	if (err)
		return err;
	if (v < (32ULL << 20))
		return -ERANGE;
	lowmem_size = v;
	return 0;
}
early_param("lowmem", set_lowmem);
/*
 * Copies, not pointers into the device tree: the tree may lie above the
 * direct map (in HighMem with -m 2G, QEMU puts it near 3 GiB), and
 * /proc/cpuinfo reads these long after boot.
 */
static char isa_name[128] = "unknown", mmu_name[32] = "unknown";
const char *cpu_isa = isa_name;
const char *cpu_mmu = mmu_name;

extern char _text[], _etext[], _srodata[], _edata[], __bss_start[],
	__bss_stop[], _end[];

static void parse_chosen(void)
{
	int node = fdt_path_offset(&fdt, "/chosen");
	const char *args = node >= 0 ? fdt_getprop_str(&fdt, node, "bootargs") :
				       NULL;

	if (args)
		strlcpy(boot_command_line, args, sizeof(boot_command_line));
}

static void parse_cpus(void)
{
	int cpus = fdt_path_offset(&fdt, "/cpus"), cpu;
	u32 tb;

	if (cpus < 0)
		return;
	if (fdt_getprop_u32(&fdt, cpus, "timebase-frequency", &tb) == 0)
		timebase_hz = tb;
	for (cpu = fdt_first_child(&fdt, cpus); cpu >= 0;
	     cpu = fdt_next_sibling(&fdt, cpu)) {
		const char *isa = fdt_getprop_str(&fdt, cpu, "riscv,isa");
		const char *mmu = fdt_getprop_str(&fdt, cpu, "mmu-type");

		if (isa) {
			strlcpy(isa_name, isa, sizeof(isa_name));
			if (mmu)
				strlcpy(mmu_name, mmu, sizeof(mmu_name));
			break;
		}
	}
}

/* The first enabled node compatible with compat: its first reg range. */
bool find_device(const char *compat, phys_addr_t *base, u64 *size,
		 int *node_out)
{
	for (int n = fdt_find_compatible(&fdt, -1, compat); n >= 0;
	     n = fdt_find_compatible(&fdt, n, compat)) {
		if (fdt_node_is_enabled(&fdt, n) &&
		    fdt_read_reg(&fdt, n, 0, base, size) == 0) {
			*node_out = n;
			return true;
		}
	}
	return false;
}

const struct fdt *device_tree(void)
{
	return &fdt;
}

static void setup_console(void)
{
	u32 shift = 0, clock = 0;
	int node;

	if (!find_device("ns16550a", &uart_phys, &uart_size, &node)) {
		pr_warn("console: no ns16550a UART in the device tree; "
			"staying on the SBI console\n");
		return;
	}
	fdt_getprop_u32(&fdt, node, "reg-shift", &shift);
	fdt_getprop_u32(&fdt, node, "clock-frequency", &clock);
	fdt_getprop_u32(&fdt, node, "interrupts", &uart_irq_line);
	uart_init(uart_phys, shift, clock);
	pr_info("console: ns16550a UART at %#llx\n",
		(unsigned long long)uart_phys);
}

static void feed_memory(void)
{
	int depth, n;
	u64 base, size;

	for (n = fdt_next_node(&fdt, -1, &depth); n >= 0;
	     n = fdt_next_node(&fdt, n, &depth)) {
		u32 nid = 0;

		if (!fdt_node_is_memory(&fdt, n) || !fdt_node_is_enabled(&fdt, n))
			continue;
		/* With QEMU's -numa, each memory node names its NUMA node. */
		fdt_getprop_u32(&fdt, n, "numa-node-id", &nid);
		if (nid >= MAX_NUMNODES) {
			pr_warn("memory: node %u is beyond MAX_NUMNODES (%d); "
				"counted as node 0\n",
				nid, MAX_NUMNODES);
			nid = 0;
		}
		for (int i = 0; fdt_read_reg(&fdt, n, i, &base, &size) == 0;
		     i++) {
			pr_info("  [mem %#018llx-%#018llx] usable (%s, node "
				"%u)\n",
				(unsigned long long)base,
				(unsigned long long)(base + size - 1),
				fdt_node_name(&fdt, n), nid);
			bootmem_add_memory_node(base, size, nid);
		}
	}
	if (!bootmem_nr_memory())
		panic("device tree: no memory node\n");
}

/* /reserved-memory children are kept out, no-map or not. */
static void reserve_firmware(bool to_iomem)
{
	int rm = fdt_path_offset(&fdt, "/reserved-memory");
	u64 base, size;

	for (int c = rm >= 0 ? fdt_first_child(&fdt, rm) : -1; c >= 0;
	     c = fdt_next_sibling(&fdt, c)) {
		const char *name = fdt_node_name(&fdt, c);

		for (int i = 0; fdt_read_reg(&fdt, c, i, &base, &size) == 0;
		     i++) {
			if (to_iomem) {
				iomem_add(base, size, "reserved");
				continue;
			}
			pr_info("  [mem %#018llx-%#018llx] reserved (%s%s)\n",
				(unsigned long long)base,
				(unsigned long long)(base + size - 1), name,
				fdt_getprop(&fdt, c, "no-map", NULL) ?
					", no-map" :
					"");
			/* The tree is copied later: keep no pointer into it. */
			reserve_bootmem(base, size, "firmware (reserved-memory)");
		}
	}
	for (int i = 0; !to_iomem && fdt_get_mem_rsv(&fdt, i, &base, &size) == 0;
	     i++)
		reserve_bootmem(base, size, "device tree reservation");
}

/*
 * The firmware put the tree at the top of RAM, which mem= may have cut
 * off the direct map: keep a copy in memory bootmem hands out instead.
 */
static void keep_device_tree(void)
{
	void *copy = alloc_bootmem_tagged(fdt.totalsize, 8, "device tree");

	memcpy(copy, fdt.blob, fdt.totalsize);
	if (fdt_init(&fdt, copy))
		panic("device tree: the copy does not parse\n");
}

static void parse_device_tree(void)
{
	void *blob = __va(boot_dtb_phys);
	u32 size = fdt_header_size(blob);

	if (!size || size > FDT_MAX_SIZE || fdt_init(&fdt, blob))
		panic("device tree at %#lx is missing or damaged\n",
		      boot_dtb_phys);
	parse_chosen();
	parse_cpus();
	setup_console();
	pr_info("device tree at %#lx (%u bytes), hart %lu, isa %s\n",
		boot_dtb_phys, size, boot_hartid, cpu_isa);
}

static void register_iomem(void)
{
	bootmem_register_iomem();
	reserve_firmware(true);
	iomem_add(__pa(_text), _etext - _text, "Kernel code");
	iomem_add(__pa(_srodata), _edata - _srodata, "Kernel data");
	iomem_add(__pa(__bss_start), __bss_stop - __bss_start, "Kernel bss");
	if (uart_phys)
		iomem_add(uart_phys, uart_size, "serial");
	if (test_dev_phys)
		iomem_add(test_dev_phys, test_dev_size, "test");
}

void setup_arch(void)
{
	phys_addr_t ram_start, ram_end;
	const struct bootmem_region *last;
	int node;

	parse_device_tree();
	parse_params(boot_command_line, true);
	feed_memory();
	reserve_firmware(false);
	reserve_bootmem(kernel_load_phys, _end - _text, "Kernel image");

	ram_start = bootmem_memory(0)->base;
	last = bootmem_memory(bootmem_nr_memory() - 1);
	ram_end = last->base + last->size;
	direct_map_end = bootmem_lowmem_end(ram_start + lowmem_size);
	/* Until paging_init() runs, only the boot map is there. */
	bootmem_set_limits(ram_start + DMA_ZONE_BYTES,
			   min(direct_map_end, (phys_addr_t)BOOT_DIRECT_LIMIT));
	keep_device_tree();
	/* QEMU's exit device: poweroff with a status code uses it. */
	find_device("sifive,test0", &test_dev_phys, &test_dev_size, &node);
	paging_init();
	bootmem_set_limits(ram_start + DMA_ZONE_BYTES, direct_map_end);
	arch_layout_init();
	register_iomem();
	pr_info("memory: %llu KiB RAM at %#llx-%#llx, %#llx-%#llx in the "
		"direct map at %#lx\n",
		(unsigned long long)(bootmem_memory_bytes() >> 10),
		(unsigned long long)ram_start,
		(unsigned long long)(ram_end - 1),
		(unsigned long long)ram_start,
		(unsigned long long)(direct_map_end - 1), PAGE_OFFSET);
}
