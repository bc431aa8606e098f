"""Pagoda's gdb helpers: the kernel's /proc tables, page-table walks and
page conversions, computed by gdb from the kernel's memory alone.

tools/gdb/pagoda.py loads this package and calls register(). One module
per kernel file whose table it mirrors:

  vmstat.py    pg-buddyinfo, pg-zoneinfo      (mm/vmstat.c)
  meminfo.py   pg-meminfo                     (mm/meminfo.c)
  slab.py      pg-slabinfo, pg-slab           (mm/slab.c)
  vmalloc.py   pg-vmallocinfo                 (mm/vmalloc.c)
  kmap.py      pg-kmapinfo                    (mm/kmap.c)
  printk.py    pg-dmesg                       (kernel/printk.c)
  pgtable.py   pg-pt                          (mm/pgtable.c, arch/*/paging.c)
  page.py      pg-page, pg-freelist and the $pfn_to_page()... functions
               (include/pagoda/mm.h)

under them core.py (reading memory, lists, %p and %pS) and mm.py (pfns,
pages, addresses and zones).
"""

from . import kmap, meminfo, page, pgtable, printk, slab, vmalloc, vmstat

COMMANDS = ["pg-buddyinfo", "pg-zoneinfo", "pg-meminfo", "pg-slabinfo",
            "pg-slab", "pg-vmallocinfo", "pg-kmapinfo", "pg-dmesg", "pg-pt",
            "pg-page", "pg-freelist"]
FUNCTIONS = ["$pfn_to_page", "$page_to_pfn", "$page_to_phys", "$page_address",
             "$virt_to_page", "$virt_to_phys", "$phys_to_virt"]

_registered = False


def register():
    """Create the commands and functions (once, however often loaded)."""
    global _registered
    if _registered:
        return
    for module in (vmstat, meminfo, slab, vmalloc, kmap, printk, pgtable, page):
        module.register()
    _registered = True
