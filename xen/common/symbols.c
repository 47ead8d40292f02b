/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The embedded symbol table: names for code addresses in call traces.
 *
 * The image is linked three times (xen/Makefile): first with the empty
 * table of symbols-dummy.S, then twice with a table that
 * xen/tools/gen-symbols.sh builds from the previous link's nm output.
 * The table holds one entry per code symbol, sorted by address:
 *
 *   symbols_base          address of the first entry
 *   symbols_count         number of entries
 *   symbols_offsets[]     entry address - symbols_base (the image is far
 *                         smaller than 4 GiB, so 32 bits suffice)
 *   symbols_sizes[]       nm's size, or the distance to the next symbol
 *   symbols_name_offsets[] where each name starts in symbols_names
 *   symbols_names         the NUL-terminated names, in entry order
 */
#include <xen/lib.h>
#include <xen/string.h>
#include <xen/symbols.h>

extern const unsigned long symbols_base;
extern const uint32_t symbols_count;
extern const uint32_t symbols_offsets[];
extern const uint32_t symbols_sizes[];
extern const uint32_t symbols_name_offsets[];
extern const char symbols_names[];

const char *symbols_lookup(unsigned long addr, unsigned long *symsize,
                           unsigned long *offset, char *namebuf)
{
    unsigned int lo = 0, hi = symbols_count;
    unsigned long rel, size;

    if ( !hi || addr < symbols_base || addr - symbols_base > UINT32_MAX )
        return NULL;
    rel = addr - symbols_base;

    /* The last entry at or below rel; entry 0 is at offset 0. */
    while ( hi - lo > 1 )
    {
        unsigned int mid = lo + (hi - lo) / 2;

        if ( symbols_offsets[mid] <= rel )
            lo = mid;
        else
            hi = mid;
    }

    /*
     * Past the end of the last symbol is past the code. An address in
     * the padding between two functions (or in unnamed code such as
     * .text.fixup) goes to the function before it; the offset, larger
     * than the size, shows that it is not inside.
     */
    size = symbols_sizes[lo];
    if ( lo == symbols_count - 1 &&
         rel - symbols_offsets[lo] >= max(size, 1UL) )
        return NULL;

    strlcpy(namebuf, symbols_names + symbols_name_offsets[lo], KSYM_NAME_LEN);
    *symsize = size;
    *offset = rel - symbols_offsets[lo];

    return namebuf;
}
