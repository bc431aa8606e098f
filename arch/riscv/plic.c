/*
 * The platform-level interrupt controller (PLIC, "riscv,plic0") of QEMU
 * virt: it takes the devices' interrupt lines and raises a hart's
 * supervisor external interrupt when one of the lines enabled for that
 * hart is asserted. The kernel claims the line, runs its handler and
 * completes it. Only the console UART uses it here (arch/riscv/uart.c).
 *
 * Each hart has one "context" per privilege mode, with its own enable
 * bits, priority threshold and claim register. Which context is this
 * hart's S-mode comes from the device tree: the PLIC's
 * interrupts-extended lists, context by context, the hart interrupt
 * controller and the cause (9: supervisor external) each one raises.
 */
#include <asm/csr.h>
#include <asm/riscv.h>
#include <pagoda/fdt.h>
#include <pagoda/io.h>
#include <pagoda/printk.h>
#include <pagoda/resource.h>

#define PLIC_PRIORITY(irq)  (4 * (irq))
#define PLIC_ENABLE(ctx)    (0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)	    (PLIC_THRESHOLD(ctx) + 4)
#define PLIC_MAX_IRQ	    1023
#define CAUSE_S_EXTERNAL    9

static void __iomem *plic;
static unsigned int context;
static unsigned int handled_irq;
static void (*handler)(void);

static u32 cell(const void *prop, int i)
{
	const u8 *p = (const u8 *)prop + 4 * i;

	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static int node_by_phandle(const struct fdt *fdt, u32 phandle)
{
	int depth;
	u32 ph;

	for (int n = fdt_next_node(fdt, -1, &depth); n >= 0;
	     n = fdt_next_node(fdt, n, &depth)) {
		if (fdt_getprop_u32(fdt, n, "phandle", &ph) == 0 &&
		    ph == phandle)
			return n;
	}
	return -1;
}

/* The context whose entry names this hart's controller and cause 9. */
static int find_context(const struct fdt *fdt, int plic_node)
{
	int len, cpu, intc;
	const void *ext =
		fdt_getprop(fdt, plic_node, "interrupts-extended", &len);
	u32 hart;

	for (int i = 0; ext && 8 * (i + 1) <= len; i++) {
		if (cell(ext, 2 * i + 1) != CAUSE_S_EXTERNAL)
			continue;
		intc = node_by_phandle(fdt, cell(ext, 2 * i));
		cpu = intc >= 0 ? fdt_parent(fdt, intc) : -1;
		if (cpu >= 0 && fdt_getprop_u32(fdt, cpu, "reg", &hart) == 0 &&
		    hart == boot_hartid)
			return i;
	}
	return -1;
}

/*
 * Route interrupt line irq to this hart's S-mode, with fn as its
 * handler. False (and the caller keeps polling) when the tree has no
 * PLIC or does not say which context is ours.
 */
bool plic_init(unsigned int irq, void (*fn)(void))
{
	const struct fdt *fdt = device_tree();
	phys_addr_t base;
	u64 size;
	int node, ctx;

	if (irq == 0 || irq > PLIC_MAX_IRQ ||
	    !find_device("riscv,plic0", &base, &size, &node))
		return false;
	ctx = find_context(fdt, node);
	if (ctx < 0 || (u64)PLIC_CLAIM(ctx) + 4 > size) {
		pr_warn("plic: no S-mode context for hart %lu\n", boot_hartid);
		return false;
	}
	/* Map only up to this context's registers, not the whole region. */
	plic = ioremap(base, PLIC_CLAIM(ctx) + 4);
	if (!plic)
		return false;
	iomem_add(base, size, "plic");
	context = ctx;
	handled_irq = irq;
	handler = fn;
	writel(1, plic + PLIC_PRIORITY(irq)); /* 0 would mean "never" */
	writel(0, plic + PLIC_THRESHOLD(ctx));
	/* Only our line: whatever the firmware left enabled has no handler. */
	for (unsigned int w = 0; w <= PLIC_MAX_IRQ / 32; w++)
		writel(w == irq / 32 ? 1U << (irq % 32) : 0,
		       plic + PLIC_ENABLE(ctx) + 4 * w);
	csr_set(sie, SIE_SEIE);
	pr_info("plic: at %#llx, hart %lu is context %d; irq %u enabled\n",
		(unsigned long long)base, boot_hartid, ctx, irq);
	return true;
}

/*
 * A line with no handler is turned off for this context before it is
 * completed: a level-triggered source would otherwise be claimed again
 * at once, forever. Off, it cannot come back, so it is reported once.
 */
static void plic_disable(u32 irq)
{
	void __iomem *en = plic + PLIC_ENABLE(context) + 4 * (irq / 32);

	writel(readl(en) & ~(1U << (irq % 32)), en);
	pr_warn("plic: irq %u has no handler: disabled\n", irq);
}

/* A supervisor external interrupt: claim, handle, complete, until none. */
void plic_interrupt(void)
{
	u32 irq;

	if (!plic)
		return;
	while ((irq = readl(plic + PLIC_CLAIM(context))) != 0) {
		if (irq == handled_irq)
			handler();
		else if (irq <= PLIC_MAX_IRQ)
			plic_disable(irq);
		writel(irq, plic + PLIC_CLAIM(context));
	}
}
