/*
 * Device registers (mm/ioremap.c): ioremap maps a physical range of a
 * device into the vmalloc area, uncached, page by page with the offset
 * kept; the accessors read and write it with the ordering devices need.
 */
#ifndef PAGODA_IO_H
#define PAGODA_IO_H

#include <asm/barrier.h>
#include <pagoda/types.h>

#define __iomem

void __iomem *ioremap(phys_addr_t phys, unsigned long size);
void __iomem *ioremap_nocache(phys_addr_t phys, unsigned long size);
void iounmap(volatile void __iomem *addr);
/* Is addr inside a live ioremap area (with at least len bytes left)? */
bool ioremap_addr_ok(const volatile void __iomem *addr, unsigned long len);

static inline u8 readb(const volatile void __iomem *a)
{
	u8 v = *(const volatile u8 *)a;

	io_rmb();
	return v;
}

static inline u16 readw(const volatile void __iomem *a)
{
	u16 v = *(const volatile u16 *)a;

	io_rmb();
	return v;
}

static inline u32 readl(const volatile void __iomem *a)
{
	u32 v = *(const volatile u32 *)a;

	io_rmb();
	return v;
}

static inline void writeb(u8 v, volatile void __iomem *a)
{
	io_wmb();
	*(volatile u8 *)a = v;
}

static inline void writew(u16 v, volatile void __iomem *a)
{
	io_wmb();
	*(volatile u16 *)a = v;
}

static inline void writel(u32 v, volatile void __iomem *a)
{
	io_wmb();
	*(volatile u32 *)a = v;
}

#define ioread8 readb
#define ioread16 readw
#define ioread32 readl
#define iowrite8 writeb
#define iowrite16 writew
#define iowrite32 writel

#endif
