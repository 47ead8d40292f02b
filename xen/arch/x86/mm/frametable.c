/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The frame table: a struct page_info for every RAM frame, at
 * FRAMETABLE_VIRT_START, indexed by mfn (no PDX compression).
 *
 * It is populated in chunks of 2 MiB of table, each describing
 * FRAMES_PER_CHUNK frames (256 MiB of physical address space), and only
 * for chunks that contain RAM: a hole in the memory map larger than a
 * chunk costs nothing. Each chunk is one 2 MiB-aligned block from the
 * boot allocator, mapped with one 2 MiB page. mfn_valid() is a bit test
 * in frame_table_chunks[].
 *
 * Why no compression: the chunked table already makes holes cheap, and
 * an identity pdx keeps page_to_mfn() a subtraction; servers whose RAM
 * sits in a few widely spaced banks cost at most one chunk per bank.
 */
#include <asm/config.h>
#include <asm/e820.h>
#include <asm/mm.h>
#include <asm/pg2virt.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/string.h>

#define CHUNK_BYTES      (1UL << L2_PAGE_SHIFT)
#define FRAMES_PER_CHUNK FRAMETABLE_CHUNK_FRAMES
#define NR_CHUNKS        ((FRAMETABLE_VIRT_END - FRAMETABLE_VIRT_START) / \
                          CHUNK_BYTES)

unsigned long max_page;
unsigned long frame_table_bytes;

/* Bit n: chunk n is mapped. Written at boot, read-only afterwards. */
uint64_t frame_table_chunks[NR_CHUNKS / 64];

static void __init populate_chunk(unsigned long chunk)
{
    unsigned long va = FRAMETABLE_VIRT_START + chunk * CHUNK_BYTES;
    mfn_t mfn = alloc_boot_pages(CHUNK_BYTES >> PAGE_SHIFT,
                                 CHUNK_BYTES >> PAGE_SHIFT);

    if ( mfn_eq(mfn, INVALID_MFN) )
        panic("not enough memory for the frame table (chunk %lu)", chunk);
    if ( map_pages_to_xen(va, mfn, CHUNK_BYTES >> PAGE_SHIFT,
                          PAGE_HYPERVISOR_RW) )
        panic("cannot map the frame table (chunk %lu)", chunk);
    /* Zero: every entry starts in use, as the heap expects. */
    memset((void *)va, 0, CHUNK_BYTES);
    frame_table_chunks[chunk / 64] |= 1UL << (chunk % 64);
    frame_table_bytes += CHUNK_BYTES;
}

/* Once the heap is up: the page-to-virt entries of every valid chunk. */
void __init frame_table_init_late(void)
{
    unsigned long chunk;

    for ( chunk = 0; chunk < NR_CHUNKS && chunk * FRAMES_PER_CHUNK < max_page;
          chunk++ )
        if ( frame_table_chunks[chunk / 64] & (1UL << (chunk % 64)) )
            pg2virt_init(_mfn(chunk * FRAMES_PER_CHUNK),
                         min(FRAMES_PER_CHUNK,
                             max_page - chunk * FRAMES_PER_CHUNK));
}

/* Frames [s, e) that have an entry but are not RAM. */
static void __init mark_not_ram(unsigned long s, unsigned long e)
{
    for ( ; s < e; s++ )
        if ( mfn_valid(_mfn(s)) )
            mfn_to_page(_mfn(s))->count_info = PGC_state_offline;
}

/*
 * A chunk holds every frame of its 256 MiB, RAM or not. The frames that
 * are not wholly RAM (holes, firmware ranges, the odd partial page) are
 * marked offline, so that nothing takes them for memory: the direct map
 * does not map them, and the heap would refuse them.
 */
static void __init mark_holes(void)
{
    unsigned long ram_end = 0;
    unsigned int i;

    for ( i = 0; i < e820.nr_map; i++ )
    {
        const struct e820entry *e = &e820.map[i];
        unsigned long s = ROUNDUP(e->addr, PAGE_SIZE) >> PAGE_SHIFT;
        unsigned long end = (e->addr + e->size) >> PAGE_SHIFT;

        if ( e->type != E820_RAM || s >= end )
            continue;
        mark_not_ram(ram_end, s);
        ram_end = max(ram_end, end);
    }
    mark_not_ram(ram_end, ROUNDUP(max_page, FRAMES_PER_CHUNK));
}

void __init frame_table_init(void)
{
    unsigned long top = 0, chunk, last_done = ~0UL;
    unsigned int i;

    for ( i = 0; i < e820.nr_map; i++ )
        if ( e820.map[i].type == E820_RAM )
            top = max(top, (unsigned long)((e820.map[i].addr +
                                            e820.map[i].size) >> PAGE_SHIFT));
    /* 32-bit links and owners (asm/mm.h) name frames below MFN32_LIMIT. */
    if ( top > min(FRAMETABLE_NR, MFN32_LIMIT) )
    {
        top = min(FRAMETABLE_NR, MFN32_LIMIT);
        printk(XENLOG_WARNING "RAM from frame %#lx up is ignored: frame "
               "numbers above it do not fit the frame table\n", top);
    }

    /* The map is sorted, so chunks come in order: skip repeats. */
    for ( i = 0; i < e820.nr_map; i++ )
    {
        const struct e820entry *e = &e820.map[i];
        unsigned long s = e->addr >> PAGE_SHIFT;
        unsigned long end = min(top, (unsigned long)((e->addr + e->size +
                                                     PAGE_SIZE - 1) >>
                                                    PAGE_SHIFT));

        if ( e->type != E820_RAM || s >= end )
            continue;
        for ( chunk = s / FRAMES_PER_CHUNK;
              chunk <= (end - 1) / FRAMES_PER_CHUNK; chunk++ )
            if ( chunk != last_done )
            {
                populate_chunk(chunk);
                last_done = chunk;
            }
    }

    max_page = top;
    mark_holes();
}

bool frame_table_va_populated(unsigned long va)
{
    unsigned long chunk = (va - FRAMETABLE_VIRT_START) / CHUNK_BYTES;

    return va >= FRAMETABLE_VIRT_START && chunk < NR_CHUNKS &&
           (frame_table_chunks[chunk / 64] & (1UL << (chunk % 64)));
}
