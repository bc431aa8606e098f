/*
 * The PC's CMOS real-time clock, read through ports 0x70/0x71: wall
 * time for `date`. The registers hold BCD unless status B says binary.
 */
#include <asm/io.h>
#include <pagoda/arch.h>
#include <pagoda/errno.h>
#include <pagoda/time.h>

static u8 cmos(u8 reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned int bcd(u8 v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

int arch_rtc_seconds(u64 *seconds)
{
	bool binary;
	unsigned int y, mo, d, h, mi, s;

	while (cmos(0x0a) & 0x80) /* an update is in progress */
		;
	binary = cmos(0x0b) & 0x04;
	s = bcd(cmos(0x00), binary);
	mi = bcd(cmos(0x02), binary);
	h = bcd(cmos(0x04) & 0x7f, binary);
	d = bcd(cmos(0x07), binary);
	mo = bcd(cmos(0x08), binary);
	y = bcd(cmos(0x09), binary) + 2000;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -ENODEV;
	*seconds = civil_to_seconds(y, mo, d, h, mi, s);
	return 0;
}
