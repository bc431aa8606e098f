/*
 * vmalloc (mm/vmalloc.c): memory that is contiguous in virtual
 * addresses only. Its pages come one at a time from the page allocator
 * (from HIGHMEM first) and are mapped side by side in the vmalloc area,
 * each area followed by an unmapped guard page. ioremap uses the same
 * area for device registers.
 */
#ifndef PAGODA_VMALLOC_H
#define PAGODA_VMALLOC_H

#include <pagoda/gfp.h>
#include <pagoda/pgtable.h>

#define VM_IOREMAP 0x1 /* device registers: phys_addr says where */
#define VM_ALLOC 0x2   /* vmalloc: pages owned by the area */
#define VM_MAP 0x4     /* vmap: pages lent by the caller */

struct page;
struct range_node;

struct vm_struct {
	unsigned long addr;
	unsigned long size; /* with the guard page */
	unsigned long flags;
	struct page **pages;
	unsigned int nr_pages;
	phys_addr_t phys_addr; /* VM_IOREMAP */
	unsigned long caller;
	struct vm_struct *hash_next;
	struct range_node *spare; /* for giving the range back */
};

void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
void *__vmalloc(unsigned long size, gfp_t gfp, pgprot_t prot);
void vfree(const void *addr);
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   pgprot_t prot);
void vunmap(const void *addr);
struct page *vmalloc_to_page(const void *addr);
bool is_vmalloc_addr(const void *addr);

/* For ioremap: an area of size bytes (plus guard), not yet mapped. */
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     unsigned long caller);
/* Remove an area found by its address, unmapping whatever it maps. */
struct vm_struct *remove_vm_area(const void *addr);
struct vm_struct *find_vm_area(const void *addr);
void free_vm_area(struct vm_struct *area);

/* For the page-fault report: what the vmalloc area has at addr. */
void vmalloc_describe(unsigned long addr);

/* /proc/meminfo's Vmalloc lines, in bytes. */
unsigned long vmalloc_total(void);
unsigned long vmalloc_used(void);
unsigned long vmalloc_chunk(void);

void vmalloc_init(void);

#endif
