"""pg-buddyinfo and pg-zoneinfo: /proc/buddyinfo and /proc/zoneinfo
(mm/vmstat.c), from the zones in node_data.

Each line is formatted with the C format of the line it mirrors, so the
output is the kernel's own. Linux's scripts/gdb has no such commands;
the buddy lists are what Pagoda is about, so here they are.
"""

from . import command, mm


def buddyinfo():
    out = []
    for z in mm.zones():
        if not mm.populated(z):
            continue
        line = "Node %d, zone %8s " % (mm.zone_nid(z), mm.zone_name(z))
        fa = z["free_area"]
        for o in range(fa.type.range()[1] + 1):
            line += "%6d " % int(fa[o]["nr_free"])
        out.append(line + "\n")
    return "".join(out)


def zone_text(z):
    out = ["Node %d, zone %8s\n" % (mm.zone_nid(z), mm.zone_name(z))]
    out.append("  pages free     %d\n" % int(z["free_pages"]))
    out.append("        min      %d\n" % int(z["pages_min"]))
    out.append("        low      %d\n" % int(z["pages_low"]))
    out.append("        high     %d\n" % int(z["pages_high"]))
    out.append("        spanned  %d\n" % int(z["spanned_pages"]))
    out.append("        present  %d\n" % int(z["present_pages"]))
    for name, value in (("nr_free_pages", int(z["free_pages"])),
                        ("nr_pcp_pages", mm.zone_pcp_pages(z)),
                        ("nr_alloc", int(z["nr_alloc"])),
                        ("nr_free", int(z["nr_free_calls"])),
                        ("nr_alloc_fail", int(z["nr_failed"]))):
        out.append("    %-12s %d\n" % (name, value))
    out.append("  pagesets\n")
    for cpu in range(mm.nr_cpus(z)):
        pcp = z["pageset"][cpu]["pcp"]
        out.append("    cpu: %d\n" % cpu)
        out.append("              count: %d\n" % int(pcp["count"]))
        out.append("              high:  %d\n" % int(pcp["high"]))
        out.append("              batch: %d\n" % int(pcp["batch"]))
    out.append("  start_pfn:         %d\n" % int(z["zone_start_pfn"]))
    return "".join(out)


def zoneinfo():
    return "".join(zone_text(z) for z in mm.zones() if mm.populated(z))


class BuddyInfo(command.TableCommand):
    """Free blocks per order in each zone, as /proc/buddyinfo prints them.

Usage: pg-buddyinfo
Read from node_data[].node_zones[].free_area[].nr_free."""

    name = "pg-buddyinfo"

    def text(self):
        return buddyinfo()


class ZoneInfo(command.TableCommand):
    """Each zone's size, free pages, watermarks and per-CPU lists, as
/proc/zoneinfo prints them.

Usage: pg-zoneinfo"""

    name = "pg-zoneinfo"

    def text(self):
        return zoneinfo()


def register():
    BuddyInfo()
    ZoneInfo()
