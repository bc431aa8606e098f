/*
 * GFP masks as text and back: "GFP_KERNEL|__GFP_ZERO" in failure
 * reports, and the same spelling accepted by the shell's alloc_pages.
 */
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

struct gfp_name {
	const char *name;
	gfp_t mask;
};

/* Whole masks first, the biggest first, so a mask reads as it was written. */
static const struct gfp_name masks[] = {
	{ "GFP_HIGHUSER", GFP_HIGHUSER },
	{ "GFP_KERNEL", GFP_KERNEL },
	{ "GFP_NOFS", GFP_NOFS },
	{ "GFP_NOIO", GFP_NOIO },
	{ "GFP_ATOMIC", GFP_ATOMIC },
};

static const struct gfp_name bits[] = {
	{ "__GFP_DMA", __GFP_DMA },	  { "__GFP_HIGHMEM", __GFP_HIGHMEM },
	{ "__GFP_WAIT", __GFP_WAIT },	  { "__GFP_HIGH", __GFP_HIGH },
	{ "__GFP_IO", __GFP_IO },	  { "__GFP_FS", __GFP_FS },
	{ "__GFP_COLD", __GFP_COLD },	  { "__GFP_NOWARN", __GFP_NOWARN },
	{ "__GFP_REPEAT", __GFP_REPEAT }, { "__GFP_NOFAIL", __GFP_NOFAIL },
	{ "__GFP_NORETRY", __GFP_NORETRY }, { "__GFP_ZERO", __GFP_ZERO },
};

/* Other spellings the parser takes. */
static const struct gfp_name aliases[] = {
	{ "GFP_USER", GFP_USER },
	{ "GFP_DMA", GFP_DMA },
	{ "GFP_NOWAIT", 0 },
};

static size_t append(char *buf, size_t size, size_t len, const char *s)
{
	if (len)
		len += scnprintf(buf + len, size - len, "|");
	return len + scnprintf(buf + len, size - len, "%s", s);
}

const char *gfp_name(gfp_t gfp, char *buf, unsigned long size)
{
	size_t len = 0;
	gfp_t left = gfp;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(masks); i++) {
		if ((left & masks[i].mask) == masks[i].mask) {
			len = append(buf, size, len, masks[i].name);
			left &= ~masks[i].mask;
			break;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		if (left & bits[i].mask) {
			len = append(buf, size, len, bits[i].name);
			left &= ~bits[i].mask;
		}
	}
	if (left)
		len += scnprintf(buf + len, size - len, "%s%#x", len ? "|" : "",
				 left);
	if (!len)
		scnprintf(buf, size, "GFP_NOWAIT");
	return buf;
}

static bool lookup(const char *word, size_t n, gfp_t *out)
{
	const struct gfp_name *tables[] = { masks, bits, aliases };
	const size_t sizes[] = { ARRAY_SIZE(masks), ARRAY_SIZE(bits),
				 ARRAY_SIZE(aliases) };

	for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
		for (size_t i = 0; i < sizes[t]; i++) {
			const char *name = tables[t][i].name;

			if (strlen(name) == n && !strncmp(name, word, n)) {
				*out = tables[t][i].mask;
				return true;
			}
		}
	}
	return false;
}

int gfp_parse(const char *s, gfp_t *gfp)
{
	gfp_t mask = 0;

	if (!*s)
		return -EINVAL;
	while (*s) {
		const char *bar = strchr(s, '|');
		size_t n = bar ? (size_t)(bar - s) : strlen(s);
		char num[24];
		unsigned int v;
		gfp_t m;

		if (lookup(s, n, &m)) {
			mask |= m;
		} else {
			if (n == 0 || n >= sizeof(num))
				return -EINVAL;
			memcpy(num, s, n);
			num[n] = '\0';
			if (kstrtouint(num, 0, &v) || (v & ~__GFP_BITS_MASK))
				return -EINVAL;
			mask |= v;
		}
		s += n;
		if (*s == '|' && !*++s)
			return -EINVAL;
	}
	*gfp = mask;
	return 0;
}
