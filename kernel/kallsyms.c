/*
 * Kernel symbol names for backtraces and %pS.
 *
 * The build links the kernel once, lists its functions with nm
 * (tools/kallsyms.sh), assembles that list into the .kallsyms section
 * and links again. The table sits right after .text, so adding it moves
 * no function; the build checks that.
 */
#include <pagoda/kallsyms.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

extern const unsigned long kallsyms_num;
extern const unsigned long kallsyms_addrs[];
extern const unsigned int kallsyms_offsets[];
extern const char kallsyms_names[];
extern char _text[], _etext[];

/* Binary search for the last symbol at or below addr. */
static long lookup(unsigned long addr)
{
	long lo = 0, hi = (long)kallsyms_num - 1, best = -1;

	while (lo <= hi) {
		long mid = (lo + hi) / 2;

		if (kallsyms_addrs[mid] <= addr) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return best;
}

int kallsyms_lookup(unsigned long addr, const char **name,
		    unsigned long *offset, unsigned long *size)
{
	long i;

	if (addr < (unsigned long)_text || addr >= (unsigned long)_etext)
		return -1;
	i = lookup(addr);
	if (i < 0)
		return -1;
	*name = kallsyms_names + kallsyms_offsets[i];
	*offset = addr - kallsyms_addrs[i];
	*size = (i + 1 < (long)kallsyms_num ? kallsyms_addrs[i + 1] :
					      (unsigned long)_etext) -
		kallsyms_addrs[i];
	return 0;
}

/* Address of a function by name, 0 if unknown. */
unsigned long kallsyms_lookup_name(const char *name)
{
	for (unsigned long i = 0; i < kallsyms_num; i++) {
		if (strcmp(kallsyms_names + kallsyms_offsets[i], name) == 0)
			return kallsyms_addrs[i];
	}
	return 0;
}

static int resolve(unsigned long addr, char *buf, size_t size)
{
	const char *name;
	unsigned long off, len;

	if (kallsyms_lookup(addr, &name, &off, &len))
		return 0;
	return scnprintf(buf, size, "%s+%#lx/%#lx", name, off, len);
}

/*
 * For a return address: the call that made it is the instruction
 * before, and after a call to a noreturn function the return address
 * may already be the next function's first byte. So look up addr - 1,
 * and print the offset of addr itself.
 */
int sprint_backtrace(char *buf, size_t size, unsigned long addr)
{
	const char *name;
	unsigned long off, len;

	if (kallsyms_lookup(addr - 1, &name, &off, &len))
		return scnprintf(buf, size, "?");
	return scnprintf(buf, size, "%s+%#lx/%#lx", name, off + 1, len);
}

void kallsyms_init(void)
{
	vsprintf_set_symbol_resolver(resolve);
}
