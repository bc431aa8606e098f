/*
 * Host tests of vmalloc (mm/vmalloc.c), ioremap (mm/ioremap.c) and the
 * page-table pages behind them (mm/pgtable.c), over the fake page tables
 * of tests/host/fake_pgtable.c.
 *
 * A 96 MiB arena stands in for physical memory: ZONE_DMA below 16 MiB,
 * ZONE_NORMAL up to 48 MiB, ZONE_HIGHMEM above. Every test boots the page
 * allocator, the slab layer, kmalloc and vmalloc from scratch (boot()).
 * The vmalloc area is the pretend one of tests/host/include/asm/page.h:
 * its addresses are not host memory, so the tests read and write through
 * them with fake_read()/fake_write(). Code under test that writes through
 * such an address itself kills the program (on x86-64, AddressSanitizer
 * finds their shadow in its protected gap): calls that might are tried in
 * a forked child first (vzalloc, see vzalloc_zeroes_pages).
 *
 * The main test runs thousands of random vmalloc, vzalloc, vfree, vmap
 * and vunmap calls (1 byte to 4 MiB, fixed seeds) against a model that
 * keeps the live areas sorted by address. Each area must be where the
 * lowest fit puts it, inside the vmalloc area, apart from every other,
 * followed by an unmapped guard page, and mapped page by page to distinct
 * pages the page allocator handed out (HIGHMEM first); vmalloc_to_page
 * must agree, contents must survive, vzalloc must read zero, and
 * vmalloc_used/vmalloc_chunk, the page-table pages, the TLB flushes and
 * /proc/vmallocinfo must agree with the model. Once everything is freed,
 * every page (page-table pages included) is back.
 *
 * The other tests: lowest fit by hand, the refusals (bad sizes, bad
 * frees), failures half way (out of pages, out of page-table pages), the
 * O(log n) claim measured with 10 and 10,000 live areas, ioremap (RAM
 * refused, offsets kept, uncached, iounmap, ioremap_addr_ok), the exact
 * text of /proc/vmallocinfo, the fault report, and the fake backend
 * itself (arch_map_page's answers, arch_pt_walk, the pkmap window).
 */
#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/io.h>
#include <pagoda/irqflags.h>
#include <pagoda/mm.h>
#include <pagoda/oops.h>
#include <pagoda/pgtable.h>
#include <pagoda/proc.h>
#include <pagoda/seq_file.h>
#include <pagoda/shell.h>
#include <pagoda/slab.h>
#include <pagoda/vmalloc.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "shim.h"
#include "test.h"

#define ARENA_SIZE    (96UL << 20)
#define ARENA_PAGES   (ARENA_SIZE >> PAGE_SHIFT)
#define HIGHMEM_START (48UL << 20)
/* Device registers: physical addresses above the arena, not RAM. */
#define IO_BASE	    0xfe000000ULL
#define TABLE_PAGES 512 /* pages one fake page table maps (2 MiB) */
#define NOINLINE    __attribute__((noinline, noclone))

extern const struct proc_table __start_pagoda_proc[], __stop_pagoda_proc[];
extern const struct shell_command __start_pagoda_cmds[], __stop_pagoda_cmds[];

/* tests/host/fake_pgtable.c */
void fake_pgtable_reset(void);
unsigned long fake_pgtable_tables(void);
long fake_pgtable_check(void);
void *fake_host_addr(unsigned long va);
int fake_read(unsigned long va, void *buf, unsigned long len);
int fake_write(unsigned long va, const void *buf, unsigned long len);
extern unsigned long fake_flush_calls, fake_flush_pages;

/* mm/pgtable.c and mm/ioremap.c have shell commands; shell.c and the
 * layout table are not built here. */
int shell_usage(struct seq_file *out, const char *name)
{
	seq_printf(out, "usage: %s\n", name);
	return -EINVAL;
}

const char *layout_region_name(unsigned long addr)
{
	return is_vmalloc_addr((void *)addr) ? "vmalloc" : "elsewhere";
}

/* ---- booting the allocators ---- */

static char *arena;
static unsigned long start_free;

/* Every empty slab and per-CPU page back; the free page count. */
static unsigned long settle(void)
{
	kmem_cache_shrink_all();
	drain_all_pages();
	return nr_free_pages();
}

static void boot(void)
{
	/* vmalloc's hash of live areas survives a boot: it must be empty. */
	if (vmalloc_used()) {
		fprintf(stderr, "areas left live by the previous test\n");
		abort();
	}
	arena = host_arena_boot(ARENA_SIZE);
	bootmem_set_limits(16UL << 20, HIGHMEM_START);
	fake_pgtable_reset(); /* the directory, from bootmem */
	mem_init();
	kmem_cache_init();
	kmalloc_init();
	vmalloc_init();
	host_irq_flags = 1;
	host_log_clear();
	start_free = settle();
}

/* Everything a test made is gone: pages and page-table pages included. */
static void check_all_back(void)
{
	CHECK_EQ(vmalloc_used(), 0);
	CHECK_EQ(vmalloc_chunk(), VMALLOC_END - VMALLOC_START);
	CHECK_EQ(fake_pgtable_tables(), 0);
	CHECK_EQ(fake_pgtable_check(), 0);
	CHECK_EQ(settle(), start_free);
}

/* ---- small helpers ---- */

static uint64_t rng_state;

static unsigned long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned long)rng_state;
}

/* "%p" as Pagoda's printk prints it (and %pS with no symbol resolver). */
static const char *P(unsigned long p)
{
	static char buf[8][2 + 2 * sizeof(void *) + 1];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "0x%0*lx", (int)(2 * sizeof(void *)),
		 p);
	return buf[i];
}

static bool log_has(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool log_has(const char *fmt, ...)
{
	char want[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	if (host_log_contains(want))
		return true;
	fprintf(stderr, "  log lacks \"%s\"; it has:\n%s", want, host_log());
	return false;
}

/* The address after the first " from " in the log (0 if none). */
static unsigned long logged_caller(void)
{
	const char *from = strstr(host_log(), " from ");

	return from ? strtoul(from + 6, NULL, 16) : 0;
}

/* Is addr a return address inside fn (a small function)? */
static bool returns_into(unsigned long addr, void *fn)
{
	return addr > (unsigned long)fn && addr - (unsigned long)fn < 1024;
}

static bool mapped(unsigned long va)
{
	phys_addr_t pa;

	return arch_virt_to_phys(va, &pa) == 0;
}

static phys_addr_t phys_of(unsigned long va)
{
	phys_addr_t pa = ~(phys_addr_t)0;

	CHECK_EQ(arch_virt_to_phys(va, &pa), 0);
	return pa;
}

/* A page the page allocator handed out, in use as a plain page. */
static bool handed_out(const struct page *pg)
{
	return page_count(pg) > 0 && !PageBuddy(pg) && !PagePcp(pg) &&
	       !PageReserved(pg) && !PageSlab(pg) && !PageTail(pg) &&
	       !PageKmalloc(pg) && !PagePgtable(pg);
}

/* Calls from known places, for the callers in reports and vmallocinfo. */
static NOINLINE void *do_vmalloc(unsigned long size)
{
	void *p = vmalloc(size);

	__asm__ __volatile__("" : "+r"(p));
	return p;
}

static NOINLINE void *do_vzalloc(unsigned long size)
{
	void *p = vzalloc(size);

	__asm__ __volatile__("" : "+r"(p));
	return p;
}

static NOINLINE void *do_vmap(struct page **pages, unsigned int n)
{
	void *p = vmap(pages, n, 0, PAGE_KERNEL);

	__asm__ __volatile__("" : "+r"(p));
	return p;
}

static NOINLINE void __iomem *do_ioremap(phys_addr_t phys, unsigned long n)
{
	void __iomem *p = ioremap(phys, n);

	__asm__ __volatile__("" : "+r"(p));
	return p;
}

static NOINLINE void do_vfree(const void *p)
{
	vfree(p);
	__asm__ __volatile__("" ::: "memory");
}

static NOINLINE void do_vunmap(const void *p)
{
	vunmap(p);
	__asm__ __volatile__("" ::: "memory");
}

static NOINLINE void do_iounmap(void __iomem *p)
{
	iounmap(p);
	__asm__ __volatile__("" ::: "memory");
}

/* ---- /proc ---- */

static char wantbuf[1 << 20];

static const char *proc_text(const char *name)
{
	const char *text = host_proc_show(name);

	CHECK(text != NULL); /* the table exists and fits the buffer */
	return text ? text : "";
}

static void append(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* buf is a char[1024]. */
static void append(char *buf, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + n, 1024 - n, fmt, ap);
	va_end(ap);
}

/* A line of /proc/vmallocinfo for a live area, as it should be. */
static size_t info_line(char *buf, size_t len, unsigned long addr)
{
	struct vm_struct *a = find_vm_area((void *)addr);
	size_t n;

	CHECK(a != NULL);
	if (!a)
		return 0;
	n = snprintf(buf, len, "%s-%s %7lu %s", P(a->addr),
		     P(a->addr + a->size), a->size, P(a->caller));
	if (a->nr_pages)
		n += snprintf(buf + n, len - n, " pages=%u", a->nr_pages);
	if (a->flags & VM_IOREMAP)
		n += snprintf(buf + n, len - n, " phys=%llx ioremap",
			      (unsigned long long)a->phys_addr);
	if (a->flags & VM_ALLOC)
		n += snprintf(buf + n, len - n, " vmalloc");
	if (a->flags & VM_MAP)
		n += snprintf(buf + n, len - n, " vmap");
	n += snprintf(buf + n, len - n, "\n");
	return n;
}

static const struct shell_command *find_cmd(const char *name)
{
	for (const struct shell_command *c = __start_pagoda_cmds;
	     c < __stop_pagoda_cmds; c++) {
		if (!strcmp(c->name, name))
			return c;
	}
	return NULL;
}

/* ---- calls that may kill the program, run in a child ---- */

/*
 * Run fn in a forked child (its stderr silenced): 0 if it returned with
 * no failed check, else why not. Used where the code under test might
 * write through a pretend vmalloc address, which is no host memory.
 */
static int in_child(void (*fn)(void), char *why, size_t len)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "fork failed");
		return -1;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0)
			dup2(fd, 2);
		test_failed_checks = 0;
		fn();
		_exit(test_failed_checks ? 2 : 0);
	}
	if (waitpid(pid, &status, 0) != pid) {
		snprintf(why, len, "waitpid failed");
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		snprintf(why, len, "killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status) == 2)
		snprintf(why, len, "checks failed");
	else
		snprintf(why, len,
			 "died (exit %d: a sanitizer report, "
			 "such as a SEGV)",
			 WEXITSTATUS(status));
	return -1;
}

static void one_vzalloc(void)
{
	void *p = vzalloc(PAGE_SIZE);

	CHECK(p != NULL);
	vfree(p);
}

/*
 * Whether vzalloc() kills the host program: it does if mm/vmalloc.c
 * zeroes the area through its new mapping (a pretend address here)
 * rather than relying on the pages alloc_page(__GFP_ZERO) zeroed. The
 * random test then leaves vzalloc out; vzalloc_zeroes_pages fails.
 */
static bool vzalloc_unsafe;

static void probe_vzalloc(void)
{
	static bool probed;
	char why[128];

	if (probed)
		return;
	probed = true;
	vzalloc_unsafe = in_child(one_vzalloc, why, sizeof(why)) != 0;
	if (vzalloc_unsafe)
		printf("# vzalloc kills the host program (%s): left out of the "
		       "random test, see vzalloc_zeroes_pages\n",
		       why);
}

/* ---- the model: live areas sorted by address ---- */

enum kind { K_VMALLOC, K_VZALLOC, K_VMAP };

struct area {
	unsigned long addr, size; /* size with the guard page */
	unsigned long bytes; /* as asked */
	unsigned int nr; /* pages mapped */
	enum kind kind;
	struct page **lent; /* vmap: our pages */
	unsigned int seed; /* of the contents written */
};

#define MAX_LIVE 2048
static struct area live[MAX_LIVE];
static int nlive;
static unsigned long live_ram; /* pages of RAM held by live areas */
static unsigned char owned[ARENA_PAGES]; /* pfn mapped by a live area */
static unsigned long high_pages, all_pages; /* vmalloc pages seen */

static unsigned long model_lowest(unsigned long need)
{
	unsigned long prev = VMALLOC_START;

	for (int i = 0; i < nlive; i++) {
		if (live[i].addr - prev >= need)
			return prev;
		prev = live[i].addr + live[i].size;
	}
	return VMALLOC_END - prev >= need ? prev : 0;
}

static unsigned long model_largest(void)
{
	unsigned long prev = VMALLOC_START, best = 0;

	for (int i = 0; i < nlive; i++) {
		best = max(best, live[i].addr - prev);
		prev = live[i].addr + live[i].size;
	}
	return max(best, VMALLOC_END - prev);
}

static unsigned long model_used(void)
{
	unsigned long n = 0;

	for (int i = 0; i < nlive; i++)
		n += live[i].size;
	return n;
}

static unsigned long model_mapped(void)
{
	unsigned long n = 0;

	for (int i = 0; i < nlive; i++)
		n += live[i].nr;
	return n;
}

/* Page tables needed: the distinct 2 MiB blocks holding mapped pages. */
static unsigned long model_tables(void)
{
	unsigned long n = 0, last = 0;
	bool any = false;

	for (int i = 0; i < nlive; i++) {
		unsigned long first = live[i].addr >> 21;
		unsigned long end =
			(live[i].addr + live[i].nr * PAGE_SIZE - 1) >> 21;

		if (any && first == last)
			first++;
		if (first <= end)
			n += end - first + 1;
		last = end;
		any = true;
	}
	return n;
}

static struct area *model_insert(const struct area *a)
{
	int i = nlive;

	while (i > 0 && live[i - 1].addr > a->addr) {
		live[i] = live[i - 1];
		i--;
	}
	live[i] = *a;
	nlive++;
	/* Apart from both neighbours. */
	if (i > 0)
		CHECK(live[i - 1].addr + live[i - 1].size <= a->addr);
	if (i + 1 < nlive)
		CHECK(a->addr + a->size <= live[i + 1].addr);
	return &live[i];
}

static u8 pattern(unsigned int seed, unsigned long off)
{
	return (u8)(seed * 31 + off * 7 + (off >> PAGE_SHIFT) * 13);
}

/*
 * The bytes of an area the contents check covers: all of a small one;
 * of a big one, the start of each page and the last bytes.
 */
#define FULL_CHECK (64UL << 10)
#define STRIPE	   256UL

static unsigned long chunk_at(const struct area *a, unsigned long off,
			      unsigned long *len)
{
	if (a->bytes <= FULL_CHECK) {
		*len = min(a->bytes - off, FULL_CHECK);
		return off;
	}
	if (off >= a->bytes - 16) {
		*len = a->bytes - off;
		return off;
	}
	if (off & (PAGE_SIZE - 1)) /* past a stripe: to the next page */
		off = (off | (PAGE_SIZE - 1)) + 1;
	if (off >= a->bytes - 16) {
		*len = 16;
		return a->bytes - 16;
	}
	*len = min(STRIPE, a->bytes - 16 - off);
	return off;
}

static u8 scratch[FULL_CHECK], want[FULL_CHECK];

static void write_contents(struct area *a)
{
	a->seed = (unsigned int)rnd();
	for (unsigned long off = 0, len; off < a->bytes; off += len) {
		off = chunk_at(a, off, &len);
		for (unsigned long i = 0; i < len; i++)
			want[i] = pattern(a->seed, off + i);
		CHECK_EQ(fake_write(a->addr + off, want, len), 0);
	}
}

static bool check_contents(const struct area *a)
{
	for (unsigned long off = 0, len; off < a->bytes; off += len) {
		off = chunk_at(a, off, &len);
		CHECK_EQ(fake_read(a->addr + off, scratch, len), 0);
		for (unsigned long i = 0; i < len; i++) {
			if (scratch[i] != pattern(a->seed, off + i)) {
				fprintf(stderr,
					"  area %s+%#lx: %#x, not %#x\n",
					P(a->addr), off + i, scratch[i],
					pattern(a->seed, off + i));
				return false;
			}
		}
	}
	return true;
}

static bool reads_zero(unsigned long addr, unsigned long len)
{
	for (unsigned long off = 0; off < len; off += FULL_CHECK) {
		unsigned long n = min(len - off, FULL_CHECK);

		CHECK_EQ(fake_read(addr + off, scratch, n), 0);
		for (unsigned long i = 0; i < n; i++) {
			if (scratch[i])
				return false;
		}
	}
	return true;
}

/* The vm_struct, the mapping page by page, the guard page. */
static void check_area(const struct area *a)
{
	struct vm_struct *vm = find_vm_area((void *)a->addr);
	unsigned long guard = a->addr + a->size - PAGE_SIZE;
	unsigned long flags = a->kind == K_VMAP ? VM_MAP : VM_ALLOC;

	CHECK(a->addr >= VMALLOC_START && a->addr + a->size <= VMALLOC_END);
	CHECK(!(a->addr & ~PAGE_MASK));
	CHECK(is_vmalloc_addr((void *)a->addr));
	CHECK(vm != NULL);
	if (!vm)
		return;
	CHECK_EQ(vm->addr, a->addr);
	CHECK_EQ(vm->size, a->size);
	CHECK_EQ(vm->flags, flags);
	CHECK_EQ(vm->nr_pages, a->nr);
	CHECK_EQ(a->size, (a->nr + 1) * PAGE_SIZE);
	for (unsigned int i = 0; i < a->nr; i++) {
		unsigned long va = a->addr + i * PAGE_SIZE;
		phys_addr_t pa = phys_of(va);
		struct page *pg = pfn_valid(pa >> PAGE_SHIFT)
					  ? pfn_to_page(pa >> PAGE_SHIFT)
					  : NULL;

		CHECK(!(pa & ~PAGE_MASK));
		CHECK(pg != NULL && pa < ARENA_SIZE);
		if (!pg || pa >= ARENA_SIZE)
			return;
		CHECK(owned[pa >> PAGE_SHIFT]);
		CHECK(vmalloc_to_page((void *)va) == pg);
		CHECK(vmalloc_to_page((void *)(va + PAGE_SIZE - 1)) == pg);
		if (a->kind == K_VMAP) {
			CHECK(pg == a->lent[i]);
		} else {
			CHECK(vm->pages[i] == pg);
			CHECK(handed_out(pg));
		}
	}
	CHECK(!mapped(guard));
	CHECK(!mapped(guard + PAGE_SIZE - 1));
	CHECK(vmalloc_to_page((void *)guard) == NULL);
}

/* A new area's pages: each distinct from every live area's. */
static void claim_pages(const struct area *a)
{
	unsigned int high = 0;

	for (unsigned int i = 0; i < a->nr; i++) {
		phys_addr_t pa = phys_of(a->addr + i * PAGE_SIZE);

		if (pa >= ARENA_SIZE) {
			CHECK(pa < ARENA_SIZE);
			continue;
		}
		if (a->kind == K_VMAP)
			continue; /* ours, claimed when allocated */
		CHECK(!owned[pa >> PAGE_SHIFT]);
		owned[pa >> PAGE_SHIFT] = 1;
		high += pa >= HIGHMEM_START;
	}
	if (a->kind != K_VMAP) {
		high_pages += high;
		all_pages += a->nr;
	}
}

/* Before a free: the area's pages are no longer claimed. */
static void unclaim_pages(const struct area *a)
{
	for (unsigned int i = 0; i < a->nr; i++) {
		phys_addr_t pa = phys_of(a->addr + i * PAGE_SIZE);

		if (pa < ARENA_SIZE)
			owned[pa >> PAGE_SHIFT] = 0;
	}
}

static void check_totals(void)
{
	CHECK_EQ(vmalloc_used(), model_used());
	CHECK_EQ(vmalloc_chunk(), model_largest());
}

static unsigned long random_size(void)
{
	unsigned int r = rnd() % 100;

	if (r < 45)
		return 1 + rnd() % (2 * PAGE_SIZE);
	if (r < 75)
		return 1 + rnd() % (64UL << 10);
	if (r < 94)
		return 1 + rnd() % (512UL << 10);
	return 1 + rnd() % (4UL << 20);
}

/* false when the allocation failed: the run stops there. */
static bool alloc_one(unsigned long budget)
{
	unsigned int r = rnd() % 10;
	struct area a = {.kind = r < 6	 ? K_VMALLOC
				 : r < 8 ? K_VZALLOC
					 : K_VMAP};
	unsigned long hi_free = nr_free_highpages(), want_addr;
	struct area *l;
	void *p;

	if (a.kind == K_VZALLOC && vzalloc_unsafe)
		a.kind = K_VMALLOC;
	if (a.kind == K_VMAP) {
		a.nr = 1 + rnd() % 16;
		a.bytes = a.nr * PAGE_SIZE - rnd() % PAGE_SIZE;
	} else {
		a.bytes = random_size();
		a.nr = (a.bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
	}
	if (live_ram + a.nr > budget)
		return true;
	a.size = (a.nr + 1) * PAGE_SIZE;
	want_addr = model_lowest(a.size);
	if (a.kind == K_VMAP) {
		a.lent = calloc(a.nr, sizeof(*a.lent));
		for (unsigned int i = 0; i < a.nr; i++) {
			a.lent[i] = alloc_page(GFP_KERNEL |
					       (i & 1 ? __GFP_HIGHMEM : 0));
			if (!a.lent[i])
				break;
			CHECK(!owned[page_to_pfn(a.lent[i])]);
			owned[page_to_pfn(a.lent[i])] = 1;
		}
		p = a.lent[a.nr - 1] ? do_vmap(a.lent, a.nr) : NULL;
	} else {
		p = a.kind == K_VZALLOC ? do_vzalloc(a.bytes)
					: do_vmalloc(a.bytes);
	}
	if (!p) {
		fprintf(stderr,
			"  %lu bytes (%s) refused with %lu pages live\n",
			a.bytes, a.kind == K_VMAP ? "vmap" : "vmalloc",
			live_ram);
		CHECK(p != NULL);
		for (unsigned int i = 0; a.lent && i < a.nr && a.lent[i]; i++) {
			owned[page_to_pfn(a.lent[i])] = 0;
			__free_page(a.lent[i]);
		}
		free(a.lent);
		return false;
	}
	a.addr = (unsigned long)p;
	/* The lowest free range that fits, always. */
	CHECK_EQ(a.addr, want_addr);
	l = model_insert(&a);
	live_ram += a.nr;
	claim_pages(l);
	check_area(l);
	/* HIGHMEM first, while HIGHMEM has pages to spare. */
	if (a.kind != K_VMAP && hi_free >= a.nr + 256) {
		for (unsigned int i = 0; i < a.nr; i++)
			CHECK(PageHighMem(vmalloc_to_page(
				(void *)(a.addr + i * PAGE_SIZE))));
	}
	if (a.kind == K_VZALLOC)
		CHECK(reads_zero(a.addr, a.nr * PAGE_SIZE));
	write_contents(l);
	/* vmap writes go to the lent pages themselves. */
	if (a.kind == K_VMAP)
		CHECK_EQ(*(u8 *)(host_phys_base + page_to_phys(a.lent[0])),
			 pattern(l->seed, 0));
	check_totals();
	return true;
}

static void free_one(int idx)
{
	struct area a = live[idx];
	unsigned long calls = fake_flush_calls, pages = fake_flush_pages;

	check_area(&a);
	CHECK(check_contents(&a));
	unclaim_pages(&a);
	if (a.kind == K_VMAP)
		do_vunmap((void *)a.addr);
	else
		do_vfree((void *)a.addr);
	/* One flush, of the pages that were mapped. */
	CHECK_EQ(fake_flush_calls, calls + 1);
	CHECK_EQ(fake_flush_pages, pages + a.nr);
	CHECK(find_vm_area((void *)a.addr) == NULL);
	for (unsigned int i = 0; i < a.nr; i++) {
		if (mapped(a.addr + i * PAGE_SIZE)) {
			CHECK(!"a page still mapped after the free");
			break;
		}
	}
	if (a.kind == K_VMAP) {
		for (unsigned int i = 0; i < a.nr; i++)
			__free_page(a.lent[i]);
		free(a.lent);
	}
	memmove(&live[idx], &live[idx + 1], (nlive - idx - 1) * sizeof(*live));
	nlive--;
	live_ram -= a.nr;
	check_totals();
}

static void check_vmallocinfo(void)
{
	size_t n = 0;

	for (int i = 0; i < nlive; i++) {
		struct vm_struct *vm = find_vm_area((void *)live[i].addr);

		n += info_line(wantbuf + n, sizeof(wantbuf) - n, live[i].addr);
		if (!vm)
			continue;
		CHECK(returns_into(vm->caller, live[i].kind == K_VMAP
						       ? (void *)do_vmap
					       : live[i].kind == K_VZALLOC
						       ? (void *)do_vzalloc
						       : (void *)do_vmalloc));
	}
	CHECK_STR(proc_text("vmallocinfo"), wantbuf);
}

static void check_everything(void)
{
	for (int i = 0; i < nlive; i++) {
		check_area(&live[i]);
		CHECK(check_contents(&live[i]));
	}
	check_totals();
	CHECK_EQ(fake_pgtable_check(), model_mapped());
	CHECK_EQ(fake_pgtable_tables(), model_tables());
}

/* ---- 1. random sequences against the model ---- */

static void run_random(uint64_t seed, int steps, unsigned long budget)
{
	unsigned long high_before = high_pages;

	boot();
	probe_vzalloc();
	rng_state = seed;
	nlive = 0;
	live_ram = 0;
	memset(owned, 0, sizeof(owned));
	for (int step = 0; step < steps; step++) {
		bool grow = rnd() % 100 < 55;

		if (nlive && (!grow || nlive == MAX_LIVE))
			free_one(rnd() % nlive);
		else if (!alloc_one(budget))
			break;
		if (step % 64 == 63)
			check_everything();
		if (step % 700 == 699)
			check_vmallocinfo();
	}
	check_everything();
	check_vmallocinfo();
	/* Some of it came from HIGHMEM, as vmalloc prefers. */
	CHECK(high_pages > high_before);
	CHECK(!host_log_contains("BUG"));
	while (nlive)
		free_one(rnd() % nlive);
	CHECK_STR(proc_text("vmallocinfo"), "");
	check_all_back();
}

TEST(random_against_model)
{
	/* A budget within HIGHMEM, and one that spills into ZONE_NORMAL. */
	run_random(0x9e3779b97f4a7c15ULL, 5000, 8192);
	run_random(0x2545f4914f6cdd1dULL, 5000, 15000);
	run_random(0xd1b54a32d192ed03ULL, 4000, 4096);
	CHECK(all_pages > 0);
	printf("# random: %lu vmalloc pages mapped, %lu%% from HIGHMEM\n",
	       all_pages, all_pages ? high_pages * 100 / all_pages : 0);
}

/* ---- 2. lowest fit, by hand ---- */

TEST(lowest_fit)
{
	unsigned long S = VMALLOC_START, PG = PAGE_SIZE;
	void *a, *b, *c, *d, *e, *f, *g;

	boot();
	a = do_vmalloc(1); /* [S, S+P) + guard */
	b = do_vmalloc(3 * PG); /* [S+2P, S+5P) + guard */
	c = do_vmalloc(PG + 1); /* [S+6P, S+8P) + guard */
	d = do_vmalloc(PG); /* [S+9P, S+10P) + guard */
	CHECK_EQ((unsigned long)a, S);
	CHECK_EQ((unsigned long)b, S + 2 * PG);
	CHECK_EQ((unsigned long)c, S + 6 * PG);
	CHECK_EQ((unsigned long)d, S + 9 * PG);
	CHECK_EQ(vmalloc_used(), 11 * PG);
	CHECK_EQ(vmalloc_chunk(), VMALLOC_END - (S + 11 * PG));

	do_vfree(b); /* a hole of 4 pages at S+2P */
	CHECK_EQ(vmalloc_chunk(), VMALLOC_END - (S + 11 * PG));
	e = do_vmalloc(4 * PG); /* 5 pages: does not fit the hole */
	CHECK_EQ((unsigned long)e, S + 11 * PG);
	f = do_vmalloc(2 * PG); /* 3 pages: the hole's start */
	CHECK_EQ((unsigned long)f, S + 2 * PG);
	g = do_vmalloc(1); /* 2 pages: the hole has only 1 left */
	CHECK_EQ((unsigned long)g, S + 16 * PG);
	do_vfree(a); /* 2 pages at S, 1 at S+5P */
	do_vfree(g);
	g = do_vmalloc(1);
	CHECK_EQ((unsigned long)g, S);
	do_vfree(c); /* merges with the page at S+5P: 4 pages at S+5P */
	a = do_vmalloc(3 * PG);
	CHECK_EQ((unsigned long)a, S + 5 * PG);
	CHECK(!host_log_contains("BUG"));
	do_vfree(a);
	do_vfree(d);
	do_vfree(e);
	do_vfree(f);
	do_vfree(g);
	check_all_back();
}

/* ---- 3. refusals ---- */

TEST(refusals)
{
	unsigned long used, free_now;
	struct page *pg;
	void *p, *q, *m;

	boot();
	p = do_vmalloc(3 * PAGE_SIZE);
	pg = alloc_page(GFP_KERNEL);
	m = do_vmap(&pg, 1);
	CHECK(p && m);
	used = vmalloc_used();
	free_now = nr_free_pages();

	/* Nothing, or more than all of RAM. */
	CHECK(do_vmalloc(0) == NULL);
	CHECK(log_has("vmalloc: 0 bytes from "));
	CHECK(log_has(": nothing asked"));
	CHECK(returns_into(logged_caller(), (void *)do_vmalloc));
	host_log_clear();
	CHECK(do_vmalloc((totalram_pages + 1) * PAGE_SIZE) == NULL);
	CHECK(log_has("vmalloc: %lu bytes from ",
		      (totalram_pages + 1) * PAGE_SIZE));
	CHECK(log_has(": more than all of RAM"));
	CHECK(vzalloc(~0UL) == NULL);
	CHECK(vmap(&pg, 0, 0, PAGE_KERNEL) == NULL);
	CHECK(vmap(&pg, totalram_pages + 1, 0, PAGE_KERNEL) == NULL);
	CHECK(__vmalloc(0, GFP_KERNEL | __GFP_NOWARN, PAGE_KERNEL) == NULL);
	CHECK_EQ(vmalloc_used(), used);

	/* Frees of what is not the start of a vmalloc area. */
	struct {
		const void *addr;
		bool vunmap;
	} bad[] = {
		{(void *)(VMALLOC_START + (100UL << 20)), false}, /* free */
		{(char *)p + PAGE_SIZE, false}, /* middle of an area */
		{(char *)p + 1, false},
		{(char *)p + 3 * PAGE_SIZE, false}, /* its guard page */
		{m, false}, /* a vmap area */
		{&used, false}, /* not vmalloc at all */
		{p, true}, /* vunmap of vmalloc */
		{(char *)m + 8, true},
		{(void *)(VMALLOC_START + (200UL << 20)), true},
	};
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		host_log_clear();
		if (bad[i].vunmap)
			do_vunmap(bad[i].addr);
		else
			do_vfree(bad[i].addr);
		CHECK(log_has("BUG: %s(%s) from ",
			      bad[i].vunmap ? "vunmap" : "vfree",
			      P((unsigned long)bad[i].addr)));
		CHECK(log_has(": not the start of a %s area; ignored",
			      bad[i].vunmap ? "vmap" : "vmalloc"));
		CHECK(returns_into(logged_caller(),
				   bad[i].vunmap ? (void *)do_vunmap
						 : (void *)do_vfree));
		/* Nothing freed, nothing unmapped. */
		CHECK_EQ(vmalloc_used(), used);
		CHECK(mapped((unsigned long)p + 2 * PAGE_SIZE));
		CHECK(mapped((unsigned long)m));
		CHECK_EQ(nr_free_pages(), free_now);
	}
	host_log_clear();
	do_vfree(NULL); /* as kfree(NULL): nothing, silently */
	CHECK_STR(host_log(), "");

	/* A double free is reported, not done twice. */
	do_vfree(p);
	CHECK_STR(host_log(), "");
	CHECK(!mapped((unsigned long)p));
	used = vmalloc_used();
	do_vfree(p);
	CHECK(log_has("BUG: vfree(%s) from ", P((unsigned long)p)));
	CHECK_EQ(vmalloc_used(), used);
	q = do_vmalloc(1); /* the freed range is whole again */
	CHECK(q == p);
	do_vfree(q);
	host_log_clear();
	do_vunmap(m);
	do_vunmap(m);
	CHECK(log_has("BUG: vunmap(%s) from ", P((unsigned long)m)));
	__free_page(pg);
	check_all_back();
}

/*
 * vzalloc: zeroed pages, with nothing written through the new mapping.
 * alloc_page(__GFP_ZERO) zeroes each page as it comes (HIGHMEM ones
 * through kmap_atomic); zeroing again through the mapping is wasted work
 * and, for a read-only mapping, a write fault. On the host, the mapping
 * is a pretend address: a write through it kills the program, so this
 * runs in a child.
 */
static void vzalloc_child(void)
{
	unsigned long size = 3 * PAGE_SIZE + 5;
	void *p, *ro;

	p = do_vzalloc(size);
	CHECK(p != NULL);
	if (p) {
		CHECK(mapped((unsigned long)p + 3 * PAGE_SIZE));
		CHECK(reads_zero((unsigned long)p, 4 * PAGE_SIZE));
		do_vfree(p);
	}
	ro = __vmalloc(PAGE_SIZE, GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL_RO);
	CHECK(ro != NULL);
	if (ro) {
		CHECK(reads_zero((unsigned long)ro, PAGE_SIZE));
		vfree(ro);
	}
	check_all_back();
}

TEST(vzalloc_zeroes_pages)
{
	char why[128];

	boot();
	if (in_child(vzalloc_child, why, sizeof(why))) {
		fprintf(stderr,
			"  vzalloc(3 pages + 5) and __vmalloc(__GFP_ZERO, "
			"PAGE_KERNEL_RO), in a child: %s\n",
			why);
		if (strncmp(why, "checks", 6))
			fprintf(stderr,
				"  (as when mm/vmalloc.c vmalloc_caller() "
				"memsets the area through its new mapping, "
				"after alloc_page(__GFP_ZERO) zeroed every "
				"page: a write fault for PAGE_KERNEL_RO)\n");
		CHECK(!"vzalloc in a child");
	}
	check_all_back();
}

/* __vmalloc(__GFP_DMA): every page from ZONE_DMA, and no warning about
 * __GFP_DMA with __GFP_HIGHMEM (vmalloc adds HIGHMEM only without DMA). */
TEST(vmalloc_dma_pages)
{
	unsigned long size = 5 * PAGE_SIZE;
	char *p;

	boot();
	p = __vmalloc(size, GFP_KERNEL | __GFP_DMA, PAGE_KERNEL);
	CHECK(p != NULL);
	if (p) {
		for (unsigned long off = 0; off < size; off += PAGE_SIZE) {
			struct page *pg = vmalloc_to_page(p + off);

			CHECK(pg && page_to_phys(pg) < (16UL << 20));
		}
		vfree(p);
	}
	CHECK(!host_log_contains("WARNING"));
	p = vmalloc(size); /* without DMA: HIGHMEM first */
	CHECK(p && PageHighMem(vmalloc_to_page(p)));
	vfree(p);
	check_all_back();
}

/* ---- 4. failures half way give everything back ---- */

TEST(out_of_pages_half_way)
{
	unsigned long calls;
	void *p;

	boot();
	calls = fake_flush_calls;
	/* Not more than RAM, but more than is free: populate runs out. */
	p = do_vmalloc(totalram_pages * PAGE_SIZE);
	CHECK(p == NULL);
	CHECK(log_has("vmalloc: allocation of %lu bytes failed (from ",
		      totalram_pages * PAGE_SIZE));
	CHECK_EQ(fake_flush_calls, calls + 1);
	check_all_back();
	/* And all of it can be had again. */
	p = do_vmalloc(16UL << 20);
	CHECK(p != NULL);
	do_vfree(p);
	check_all_back();
}

static struct page *hog[ARENA_PAGES];
static void *maps_few[600];

TEST(out_of_page_tables)
{
	unsigned long used, hi, nhog = 0;
	struct page *pg;
	void *p0, *k1, *k2, *p;

	boot();
	/* 511 pages and the guard: exactly the first table. */
	p0 = do_vmalloc((TABLE_PAGES - 1) * PAGE_SIZE);
	CHECK_EQ((unsigned long)p0, VMALLOC_START);
	CHECK_EQ(fake_pgtable_tables(), 1);
	pg = alloc_page(GFP_KERNEL | __GFP_HIGHMEM);
	/* A kmalloc-8 slab with room, for a one-page area's page array. */
	k1 = kmalloc(8, GFP_KERNEL);
	k2 = kmalloc(8, GFP_KERNEL);
	/* Every low page taken: page tables can come from nowhere. */
	while ((hog[nhog] =
			alloc_page(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY)))
		nhog++;
	kfree(k2);
	used = vmalloc_used();
	hi = nr_free_highpages();
	CHECK(hi > 1000);
	host_log_clear();

	/* The next area starts a new table: its page comes from HIGHMEM,
	 * the table cannot, and the page goes back. */
	p = do_vmalloc(1);
	CHECK(p == NULL);
	CHECK(log_has("vmalloc: allocation of 4096 bytes failed (from "));
	/* The failure was pgtable_alloc's (the page came, the table not). */
	CHECK(log_has("page allocation failure: order:0, mode:0x80d0 "
		      "(GFP_KERNEL|__GFP_ZERO)"));
	CHECK_EQ(vmalloc_used(), used);
	CHECK_EQ(nr_free_highpages(), hi);
	CHECK_EQ(fake_pgtable_tables(), 1);
	CHECK(!mapped(VMALLOC_START + (2UL << 20)));
	/* vmap and ioremap fail the same way, and leave nothing. */
	CHECK(do_vmap(&pg, 1) == NULL);
	CHECK(do_ioremap(IO_BASE, 4) == NULL);
	CHECK_EQ(vmalloc_used(), used);
	CHECK_EQ(arch_map_page(VMALLOC_START + (4UL << 20), 0x100000,
			       PAGE_KERNEL, GFP_KERNEL),
		 -ENOMEM);
	CHECK_EQ(fake_pgtable_tables(), 1);
	CHECK_EQ(fake_pgtable_check(), TABLE_PAGES - 1);

	while (nhog)
		__free_page(hog[--nhog]);
	kfree(k1);
	__free_page(pg);
	do_vfree(p0);
	check_all_back();
}

/*
 * A free that leaves a hole between two live areas needs a new node in
 * the range tree. When none can be had, the freed range must not be lost
 * for good, nor reported as a double free.
 */
TEST(free_without_a_tree_node)
{
	unsigned long nhog = 0, failed_at = 0;
	const int n = 600;
	struct page *pg;

	boot();
	pg = alloc_page(GFP_KERNEL);
	for (int i = 0; i < n; i++)
		maps_few[i] = do_vmap(&pg, 1);
	while ((hog[nhog] =
			alloc_page(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY)))
		nhog++;
	host_log_clear();
	/* Holes between live areas, until the node cache needs a page. */
	for (int i = 1; i < n; i += 2) {
		do_vunmap(maps_few[i]);
		maps_few[i] = NULL;
		if (host_log()[0]) {
			failed_at = i;
			break;
		}
	}
	CHECK(!host_log_contains("already free"));
	if (failed_at)
		fprintf(stderr, "  the free of area %lu printed: %s", failed_at,
			host_log());
	while (nhog)
		__free_page(hog[--nhog]);
	for (int i = 0; i < n; i++) {
		if (maps_few[i])
			do_vunmap(maps_few[i]);
	}
	/* All of the vmalloc area is free again, in one range. */
	CHECK_EQ(vmalloc_chunk(), VMALLOC_END - VMALLOC_START);
	__free_page(pg);
	check_all_back();
}

/* ---- 5. the O(log n) claim, measured ---- */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Best of five rounds of reps vmalloc(PAGE_SIZE)+vfree, per pair, ns. */
static double time_pairs(unsigned long expect, int reps)
{
	double best = 1e30;

	for (int round = 0; round < 5; round++) {
		double t0 = now_ns();

		for (int i = 0; i < reps; i++) {
			void *p = vmalloc(PAGE_SIZE);

			if ((unsigned long)p != expect) {
				CHECK_EQ((unsigned long)p, expect);
				return 0;
			}
			vfree(p);
		}
		best = min(best, (now_ns() - t0) / reps);
	}
	return best;
}

#define MANY 10000
static void *maps[2 * MANY];

/*
 * n live one-page vmap areas of one shared page, each with a two-page
 * hole before it: n free ranges in the tree, n areas in the hash.
 */
static unsigned long make_live(struct page *pg, int n)
{
	for (int i = 0; i < 2 * n; i++) {
		maps[i] = vmap(&pg, 1, 0, PAGE_KERNEL);
		CHECK(maps[i] != NULL);
	}
	for (int i = 0; i < 2 * n; i += 2)
		vunmap(maps[i]);
	CHECK_EQ(vmalloc_used(), (unsigned long)n * 2 * PAGE_SIZE);
	return (unsigned long)maps[0];
}

static void drop_live(int n)
{
	for (int i = 1; i < 2 * n; i += 2)
		vunmap(maps[i]);
}

TEST(log_n_measured)
{
	struct page *pg;
	double few, many, few2;
	unsigned long lowest;
	const int reps = 2000;

	boot();
	pg = alloc_page(GFP_KERNEL);
	lowest = make_live(pg, 10);
	few = time_pairs(lowest, reps);
	drop_live(10);
	lowest = make_live(pg, MANY);
	CHECK_EQ(vmalloc_chunk(),
		 VMALLOC_END - VMALLOC_START - 2UL * MANY * 2 * PAGE_SIZE);
	many = time_pairs(lowest, reps);
	drop_live(MANY);
	lowest = make_live(pg, 10);
	few2 = time_pairs(lowest, reps);
	drop_live(10);
	few = min(few, few2);
	printf("# vmalloc(PAGE_SIZE)+vfree: %.0f ns with 10 live areas, "
	       "%.0f ns with %d (as many free ranges in the tree): ratio "
	       "%.2f\n",
	       few, many, MANY, few > 0 ? many / few : 0.0);
	CHECK(!host_log_contains("BUG"));
	__free_page(pg);
	check_all_back();
}

/* ---- 6. ioremap ---- */

TEST(ioremap_refuses_ram)
{
	static const struct {
		phys_addr_t phys;
		unsigned long size;
	} ram[] = {
		{0, 16}, /* reserved, but RAM */
		{0x100000, PAGE_SIZE}, /* ZONE_DMA */
		{32UL << 20, 8}, /* ZONE_NORMAL */
		{64UL << 20, 3 * PAGE_SIZE}, /* ZONE_HIGHMEM */
		{ARENA_SIZE - 4, 8}, /* the last bytes, and on */
		{0x1000 - 0x10, 0x20},
	};

	boot();
	for (unsigned int i = 0; i < ARRAY_SIZE(ram); i++) {
		host_log_clear();
		CHECK(do_ioremap(ram[i].phys, ram[i].size) == NULL);
		CHECK(log_has(
			"ioremap: 0x%llx-0x%llx is RAM; refused (from ",
			(unsigned long long)ram[i].phys,
			(unsigned long long)(ram[i].phys + ram[i].size - 1)));
		CHECK_EQ(vmalloc_used(), 0);
	}
	/* Bad ranges. */
	host_log_clear();
	CHECK(do_ioremap(IO_BASE, 0) == NULL);
	CHECK(log_has("ioremap: bad range 0x%llx+0x0 from ", IO_BASE));
	CHECK(do_ioremap(~(phys_addr_t)0 - 3, 8) == NULL);
	CHECK(log_has("ioremap: bad range "));
	check_all_back();
}

TEST(ioremap_maps_devices)
{
	unsigned long a, b, used, calls, pages;
	struct pt_level lv[4];
	struct vm_struct *vm;
	void __iomem *p, *q, *r;
	const char *info;
	char line[256];
	phys_addr_t pa;

	boot();
	/* Just above RAM is not RAM. */
	r = do_ioremap(ARENA_SIZE, PAGE_SIZE);
	CHECK(r != NULL);

	/* The offset within the page is kept. */
	p = do_ioremap(IO_BASE + 0x10, 8);
	CHECK(p != NULL);
	a = (unsigned long)p;
	CHECK_EQ(a & ~PAGE_MASK, 0x010);
	CHECK(is_vmalloc_addr((void *)p));
	CHECK_EQ(phys_of(a), IO_BASE + 0x10);
	CHECK_EQ(phys_of(a & PAGE_MASK), IO_BASE);
	CHECK(!mapped((a & PAGE_MASK) + PAGE_SIZE)); /* the guard */
	vm = find_vm_area((void *)(a & PAGE_MASK));
	CHECK(vm != NULL);
	if (vm) {
		CHECK_EQ(vm->flags, VM_IOREMAP);
		CHECK_EQ(vm->phys_addr, IO_BASE);
		CHECK_EQ(vm->size, 2 * PAGE_SIZE);
		CHECK(returns_into(vm->caller, (void *)do_ioremap));
	}
	/* Uncached, writable. */
	CHECK_EQ(arch_pt_walk(a, lv, ARRAY_SIZE(lv)), 2);
	CHECK_STR(lv[1].flags, "present writable uncached");
	/* Not a page of RAM: vmalloc_to_page has nothing to say. */
	CHECK(vmalloc_to_page((void *)p) == NULL);

	/* Two pages for a range across a page boundary. */
	q = do_ioremap(IO_BASE + 0x3ff0, 0x20);
	b = (unsigned long)q;
	CHECK(q != NULL);
	CHECK_EQ(b & ~PAGE_MASK, 0xff0);
	CHECK_EQ(phys_of(b), IO_BASE + 0x3ff0);
	CHECK_EQ(phys_of(b + 0x1f), IO_BASE + 0x400f);
	CHECK(!mapped((b & PAGE_MASK) + 2 * PAGE_SIZE));
	CHECK_EQ(vmalloc_used(), 2 * PAGE_SIZE + 2 * PAGE_SIZE + 3 * PAGE_SIZE);

	/* /proc/vmallocinfo lists them, in address order. */
	info = proc_text("vmallocinfo");
	snprintf(line, sizeof(line), "%s-%s    8192 %s phys=%llx ioremap\n",
		 P(a & PAGE_MASK), P((a & PAGE_MASK) + 2 * PAGE_SIZE),
		 P(vm ? vm->caller : 0), IO_BASE);
	CHECK(strstr(info, line) != NULL);
	{
		size_t n = 0;

		n += info_line(wantbuf + n, sizeof(wantbuf) - n,
			       (unsigned long)r);
		n += info_line(wantbuf + n, sizeof(wantbuf) - n, a & PAGE_MASK);
		n += info_line(wantbuf + n, sizeof(wantbuf) - n, b & PAGE_MASK);
		CHECK_STR(info, wantbuf);
	}

	/* iounmap takes the address ioremap returned, offset and all. */
	used = vmalloc_used();
	calls = fake_flush_calls;
	pages = fake_flush_pages;
	host_log_clear();
	do_iounmap(p);
	CHECK_STR(host_log(), "");
	CHECK(!mapped(a));
	CHECK(find_vm_area((void *)(a & PAGE_MASK)) == NULL);
	CHECK_EQ(vmalloc_used(), used - 2 * PAGE_SIZE);
	CHECK_EQ(fake_flush_calls, calls + 1);
	CHECK_EQ(fake_flush_pages, pages + 1);
	CHECK(strstr(proc_text("vmallocinfo"), line) == NULL);

	/* Not an ioremap address: reported, nothing changes. */
	{
		void *v = do_vmalloc(100);
		void *bad[] = {
			p, /* unmapped now */
			v, /* vmalloc */
			(char *)q + PAGE_SIZE, /* its second page */
			(void *)(VMALLOC_START + (300UL << 20)), /* free */
			&used, /* not vmalloc */
		};

		used = vmalloc_used();
		for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
			host_log_clear();
			do_iounmap(bad[i]);
			CHECK(log_has("BUG: iounmap(%s) from ",
				      P((unsigned long)bad[i])));
			CHECK(log_has(": not an address ioremap returned; "
				      "ignored"));
			CHECK_EQ(vmalloc_used(), used);
			CHECK(mapped(b));
			CHECK(mapped((unsigned long)v));
		}
		do_vfree(v);
	}
	/* vfree and vunmap do not take an ioremap area either. */
	host_log_clear();
	do_vfree((void *)(b & PAGE_MASK));
	do_vunmap((void *)(b & PAGE_MASK));
	CHECK(log_has("BUG: vfree(%s) from ", P(b & PAGE_MASK)));
	CHECK(log_has("BUG: vunmap(%s) from ", P(b & PAGE_MASK)));
	CHECK(mapped(b));
	CHECK(!is_vmalloc_addr(&pa));
	do_iounmap(q);
	do_iounmap(r);
	check_all_back();
}

TEST(ioremap_addr_ok)
{
	unsigned long a, start, end;
	void __iomem *p;
	void *v, *w;

	boot();
	v = do_vmalloc(PAGE_SIZE);
	/* 0x3000 bytes from offset 0x800: four pages, then the guard. */
	p = do_ioremap(IO_BASE + 0x800, 0x3000);
	w = do_vmalloc(PAGE_SIZE);
	a = (unsigned long)p;
	start = a & PAGE_MASK;
	end = start + 4 * PAGE_SIZE;
	CHECK_EQ(start, VMALLOC_START + 2 * PAGE_SIZE);
	CHECK_EQ(phys_of(end - 1), IO_BASE + 0x3fff);

	CHECK(ioremap_addr_ok(p, 4));
	CHECK(ioremap_addr_ok(p, 0x3000));
	CHECK(ioremap_addr_ok((void *)start, 4));
	CHECK(ioremap_addr_ok((void *)(start + 2 * PAGE_SIZE + 8), 4));
	CHECK(ioremap_addr_ok((void *)(end - 4), 4));
	CHECK(ioremap_addr_ok((void *)start, 4 * PAGE_SIZE));

	CHECK(!ioremap_addr_ok((void *)(end - 2), 4)); /* runs past the end */
	CHECK(!ioremap_addr_ok((void *)start, 4 * PAGE_SIZE + 1));
	CHECK(!ioremap_addr_ok((void *)end, 4)); /* the guard */
	CHECK(!ioremap_addr_ok((void *)(start - 4), 4)); /* v's guard */
	CHECK(!ioremap_addr_ok(v, 4)); /* vmalloc */
	CHECK(!ioremap_addr_ok(w, 4));
	CHECK(!ioremap_addr_ok((char *)w + 2 * PAGE_SIZE, 4)); /* free */
	CHECK(!ioremap_addr_ok((void *)(VMALLOC_START - 4), 4));
	CHECK(!ioremap_addr_ok((void *)(VMALLOC_END + 0x1000), 4));
	CHECK(!ioremap_addr_ok(NULL, 4));
	CHECK(!ioremap_addr_ok(&a, 4));

	do_iounmap(p);
	CHECK(!ioremap_addr_ok((void *)(start + 8), 4));
	do_vfree(v);
	do_vfree(w);
	check_all_back();
}

/* A length that wraps around must not make an address look fine. */
TEST(ioremap_addr_ok_huge_length)
{
	void __iomem *p;

	boot();
	p = do_ioremap(IO_BASE + 0x10, 8);
	CHECK(ioremap_addr_ok(p, 8));
	CHECK(!ioremap_addr_ok(p, ~0UL));
	CHECK(!ioremap_addr_ok(p, ~0UL - 0x20));
	do_iounmap(p);
	check_all_back();
}

/* ---- 7. /proc/vmallocinfo, exactly ---- */

TEST(proc_vmallocinfo)
{
	unsigned long S = VMALLOC_START, PG = PAGE_SIZE;
	struct vm_struct *va, *vb, *vc, *vd;
	struct page *pages[2];
	void *a, *b, *c, *d, *e;
	void __iomem *io;
	char want_text[1024];

	boot();
	CHECK_STR(proc_text("vmallocinfo"), "");
	a = do_vmalloc(1);
	b = do_vmalloc(3 * PG);
	pages[0] = alloc_page(GFP_KERNEL);
	pages[1] = alloc_page(GFP_KERNEL | __GFP_HIGHMEM);
	c = do_vmap(pages, 2);
	io = do_ioremap(IO_BASE + 0x123, 4);
	d = do_vmalloc(20 * PG);
	/* A hole at b's place, filled by a smaller area: order is by
	 * address, not by age. */
	do_vfree(b);
	e = do_vmalloc(PG);
	CHECK_EQ((unsigned long)e, S + 2 * PG);
	va = find_vm_area(a);
	vb = find_vm_area(c);
	vc = find_vm_area(d);
	vd = find_vm_area(e);
	CHECK(va && vb && vc && vd);
	if (!va || !vb || !vc || !vd)
		return;
	CHECK(returns_into(va->caller, (void *)do_vmalloc));
	CHECK(returns_into(vb->caller, (void *)do_vmap));
	/* Built by hand here, by info_line() elsewhere. */
	snprintf(want_text, sizeof(want_text),
		 "%s-%s    8192 %s pages=1 vmalloc\n", P(S), P(S + 2 * PG),
		 P(va->caller));
	append(want_text, "%s-%s    8192 %s pages=1 vmalloc\n", P(S + 2 * PG),
	       P(S + 4 * PG), P(vd->caller));
	append(want_text, "%s-%s   12288 %s pages=2 vmap\n", P(S + 6 * PG),
	       P(S + 9 * PG), P(vb->caller));
	append(want_text, "%s-%s    8192 %s phys=%llx ioremap\n", P(S + 9 * PG),
	       P(S + 11 * PG), P(find_vm_area((void *)(S + 9 * PG))->caller),
	       IO_BASE);
	append(want_text, "%s-%s   86016 %s pages=20 vmalloc\n", P(S + 11 * PG),
	       P(S + 32 * PG), P(vc->caller));
	CHECK_STR(proc_text("vmallocinfo"), want_text);
	CHECK_EQ((unsigned long)io & ~PAGE_MASK, 0x123);
	do_vfree(a);
	do_vfree(d);
	do_vfree(e);
	do_vunmap(c);
	do_iounmap(io);
	CHECK_STR(proc_text("vmallocinfo"), "");
	__free_page(pages[0]);
	__free_page(pages[1]);
	check_all_back();
}

/* ---- 8. the fault report ---- */

TEST(vmalloc_describe)
{
	unsigned long p;

	boot();
	p = (unsigned long)do_vmalloc(2 * PAGE_SIZE);
	vmalloc_describe(p + 2 * PAGE_SIZE + 5);
	CHECK(log_has("vmalloc: %s is the guard page after the area %s-%s "
		      "(8192 bytes), 5 bytes past its end; allocated by %s\n",
		      P(p + 2 * PAGE_SIZE + 5), P(p), P(p + 2 * PAGE_SIZE),
		      P(find_vm_area((void *)p)->caller)));
	host_log_clear();
	vmalloc_describe(p + 4 * PAGE_SIZE);
	CHECK(log_has("vmalloc: %s is in no vmalloc area (free space)\n",
		      P(p + 4 * PAGE_SIZE)));
	host_log_clear();
	vmalloc_describe(0x1000); /* not vmalloc: nothing to say */
	CHECK_STR(host_log(), "");
	do_vfree((void *)p);
	check_all_back();
}

/* ---- 9. the fake backend and protections ---- */

TEST(fake_backend)
{
	unsigned long S = VMALLOC_START, K = PKMAP_BASE;
	struct pt_level lv[4];
	const struct shell_command *pt;
	struct seq_file m;
	char *argv[2], hex[32], out[1024];
	phys_addr_t pa;
	unsigned long before;
	u8 byte = 0x5a;
	void *ro;

	boot();
	before = nr_free_pages();
	CHECK_EQ(arch_map_page(S + 0x5000, 0x200000, PAGE_KERNEL, GFP_KERNEL),
		 0);
	CHECK_EQ(nr_free_pages(), before - 1); /* a table page */
	CHECK_EQ(fake_pgtable_tables(), 1);
	CHECK_EQ(arch_map_page(S + 0x5000, 0x300000, PAGE_KERNEL, GFP_KERNEL),
		 -EEXIST);
	CHECK_EQ(arch_map_page(S + 0x6000, 0x300000, PAGE_KERNEL, GFP_KERNEL),
		 0);
	CHECK_EQ(fake_pgtable_check(), 2);
	CHECK_EQ(arch_map_page(S + 0x7000, 0x300001, PAGE_KERNEL, GFP_KERNEL),
		 -EINVAL);
	CHECK_EQ(arch_map_page(S + 0x7001, 0x300000, PAGE_KERNEL, GFP_KERNEL),
		 -EINVAL);
	CHECK_EQ(
		arch_map_page(S - PAGE_SIZE, 0x300000, PAGE_KERNEL, GFP_KERNEL),
		-EINVAL);
	CHECK_EQ(arch_map_page(VMALLOC_END, 0x300000, PAGE_KERNEL, GFP_KERNEL),
		 -EINVAL);
	CHECK_EQ(arch_map_page(K + LAST_PKMAP * PAGE_SIZE, 0x300000,
			       PAGE_KERNEL, GFP_KERNEL),
		 -EINVAL);
	CHECK_EQ(arch_virt_to_phys(S + 0x5123, &pa), 0);
	CHECK_EQ(pa, 0x200123);
	CHECK_EQ(arch_virt_to_phys(S + 0x7000, &pa), -EFAULT);
	CHECK_EQ(arch_virt_to_phys(0x1000, &pa), -EFAULT);
	CHECK(fake_host_addr(S + 0x5010) == arena + 0x200010);
	CHECK(fake_host_addr(S + 0x7000) == NULL);
	/* Reads and writes across the two pages land in both. */
	CHECK_EQ(fake_write(S + 0x5fff, "ab", 2), 0);
	CHECK_EQ(arena[0x200fff], 'a');
	CHECK_EQ(arena[0x300000], 'b');
	CHECK_EQ(fake_write(S + 0x6fff, "ab", 2), -EFAULT);

	/* The pkmap window, last page. */
	CHECK_EQ(arch_map_page(K + (LAST_PKMAP - 1) * PAGE_SIZE, 0x400000,
			       PAGE_KERNEL, GFP_KERNEL),
		 0);
	CHECK_EQ(fake_pgtable_tables(), 2);
	CHECK_EQ(phys_of(K + (LAST_PKMAP - 1) * PAGE_SIZE + 9), 0x400009);

	/* The walk, level by level. */
	CHECK_EQ(arch_pt_walk(S + 0x5000, lv, ARRAY_SIZE(lv)), 2);
	CHECK_STR(lv[0].name, "DIR");
	CHECK_EQ(lv[0].index, 0);
	CHECK(lv[0].present && !lv[0].leaf);
	CHECK_STR(lv[0].flags, "present");
	CHECK_STR(lv[1].name, "PTE");
	CHECK_EQ(lv[1].index, 5);
	CHECK(lv[1].present && lv[1].leaf);
	CHECK_EQ(lv[1].size, PAGE_SIZE);
	CHECK_EQ(lv[1].entry & PAGE_MASK, 0x200000);
	CHECK_EQ(lv[1].table, lv[0].entry & PAGE_MASK);
	CHECK(PagePgtable(pfn_to_page(lv[1].table >> PAGE_SHIFT)));
	CHECK_STR(lv[1].flags, "present writable");
	CHECK_EQ(arch_pt_walk(S + 0x7000, lv, ARRAY_SIZE(lv)), 2);
	CHECK(!lv[1].present && !lv[1].leaf);
	CHECK_EQ(arch_pt_walk(S + (8UL << 20), lv, ARRAY_SIZE(lv)), 1);
	CHECK(!lv[0].present);
	CHECK_EQ(arch_pt_walk(0x1000, lv, ARRAY_SIZE(lv)), 0);

	/* The `pt` shell command prints the same walk. */
	pt = find_cmd("pt");
	CHECK(pt != NULL);
	if (pt) {
		snprintf(hex, sizeof(hex), "%lx", S + 0x5123);
		argv[0] = "pt";
		argv[1] = hex;
		seq_init(&m, out, sizeof(out) - 1, NULL);
		CHECK_EQ(pt->fn(&m, 2, argv), 0);
		out[m.count] = '\0';
		CHECK(strstr(out, "is in: vmalloc") != NULL);
		CHECK(strstr(out, "present writable") != NULL);
		CHECK(strstr(out, "-> physical 0x200123") != NULL);
	}

	/* Unmapping: the table goes back when its last entry does. */
	CHECK(arch_unmap_page(S + 0x5000));
	CHECK(!arch_unmap_page(S + 0x5000));
	CHECK_EQ(fake_pgtable_tables(), 2);
	CHECK(arch_unmap_page(S + 0x6000));
	CHECK(arch_unmap_page(K + (LAST_PKMAP - 1) * PAGE_SIZE));
	CHECK(!arch_unmap_page(S + 0x6000));
	CHECK_EQ(fake_pgtable_tables(), 0);
	CHECK_EQ(nr_free_pages(), before);

	/* A read-only vmalloc: mapped so, and writes refused. */
	ro = __vmalloc(PAGE_SIZE, GFP_KERNEL, PAGE_KERNEL_RO);
	CHECK(ro != NULL);
	CHECK_EQ(arch_pt_walk((unsigned long)ro, lv, ARRAY_SIZE(lv)), 2);
	CHECK_STR(lv[1].flags, "present read-only");
	CHECK_EQ(fake_write((unsigned long)ro, &byte, 1), -EPERM);
	CHECK_EQ(fake_read((unsigned long)ro, &byte, 1), 0);
	vfree(ro);
	check_all_back();
}

TEST_MAIN()
