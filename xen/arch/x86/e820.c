/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine memory map: sanitising the loader's map, and the
 * conversions and printing around it. See asm/e820.h.
 */
#include <asm/e820.h>
#include <xen/lib.h>

struct e820map e820_raw, e820;

/*
 * Scratch for e820_sanitise(), static rather than 6.5 KiB of stack: the
 * boundaries of the input entries, and for each elementary interval
 * starting at one of them, whether any entry covers it and with which
 * winning type. The map is sanitised at boot, before any concurrency.
 */
static uint64_t bounds[2 * E820_MAX];
static uint32_t piece_type[2 * E820_MAX];
static bool piece_used[2 * E820_MAX];

/* Which type wins an overlap: anything beats RAM, then higher numbers. */
static uint64_t type_rank(uint32_t type)
{
    return type == E820_RAM ? 0 : (uint64_t)type + 1;
}

/* Last byte of a non-empty entry, clipped at the top of the space. */
static uint64_t entry_last(const struct e820entry *e)
{
    uint64_t last = e->addr + (e->size - 1);

    return last < e->addr ? UINT64_MAX : last;
}

/*
 * Bytes in [first, last]. All of [0, 2^64) cannot be expressed in 64
 * bits; it loses its very last byte.
 */
static uint64_t span_size(uint64_t first, uint64_t last)
{
    return last - first == UINT64_MAX ? UINT64_MAX : last - first + 1;
}

/* Adds b to the sorted, duplicate-free bounds[0, nb); returns the new nb. */
static unsigned int add_bound(unsigned int nb, uint64_t b)
{
    unsigned int k = nb, m;

    while ( k && bounds[k - 1] > b )
        k--;
    if ( k && bounds[k - 1] == b )
        return nb;
    for ( m = nb; m > k; m-- )
        bounds[m] = bounds[m - 1];
    bounds[k] = b;

    return nb + 1;
}

/*
 * Cuts the address space at every entry's start and just past every
 * entry's end, picks a type for each piece in between from the entries
 * covering it, and writes the pieces back with neighbours of one type
 * joined. All input is read before any output is written, which is what
 * lets the map be rewritten in place.
 *
 * Splitting can leave more entries than came in (RAM with a hole in the
 * middle becomes three), so map must have room for E820_MAX entries
 * whatever nr is; pieces beyond that are dropped, at the top of memory,
 * with a warning. Dropping only ever loses memory, never invents it.
 */
unsigned int e820_sanitise(struct e820entry *map, unsigned int nr)
{
    unsigned int nb = 0, i, j, out = 0;
    bool dropped = false;
    uint64_t dropped_from = 0;

    if ( nr > E820_MAX )
        nr = E820_MAX;

    for ( i = 0; i < nr; i++ )
    {
        if ( !map[i].size )
            continue;
        nb = add_bound(nb, map[i].addr);
        /* An entry reaching 2^64 has no boundary after it. */
        if ( entry_last(&map[i]) != UINT64_MAX )
            nb = add_bound(nb, entry_last(&map[i]) + 1);
    }

    /* A piece lies within every entry covering its first byte. */
    for ( i = 0; i < nb; i++ )
    {
        uint64_t best = 0;

        piece_used[i] = false;
        for ( j = 0; j < nr; j++ )
        {
            const struct e820entry *e = &map[j];

            if ( !e->size || bounds[i] < e->addr || bounds[i] > entry_last(e) )
                continue;
            if ( !piece_used[i] || type_rank(e->type) > best )
            {
                piece_used[i] = true;
                piece_type[i] = e->type;
                best = type_rank(e->type);
            }
        }
    }

    for ( i = 0; i < nb; i++ )
    {
        /* Up to and including the last byte of the piece. */
        uint64_t last = i + 1 < nb ? bounds[i + 1] - 1 : UINT64_MAX;
        struct e820entry *prev = out ? &map[out - 1] : NULL;

        if ( !piece_used[i] )
            continue;

        if ( prev && prev->type == piece_type[i] &&
             entry_last(prev) + 1 == bounds[i] )
        {
            prev->size = span_size(prev->addr, last);
            continue;
        }

        if ( out == E820_MAX )
        {
            if ( !dropped )
                dropped_from = bounds[i];
            dropped = true;
            continue;
        }

        map[out].addr = bounds[i];
        map[out].size = span_size(bounds[i], last);
        map[out].type = piece_type[i];
        out++;
    }

    if ( dropped )
        printk(XENLOG_WARNING "Memory map: more than %u regions; ignoring "
               "everything from %#lx up\n", E820_MAX, dropped_from);

    return out;
}

uint64_t e820_ram_bytes(const struct e820entry *map, unsigned int nr)
{
    uint64_t total = 0;
    unsigned int i;

    for ( i = 0; i < nr; i++ )
        if ( map[i].type == E820_RAM )
            /* Saturate: an unsanitised map may overlap itself. */
            total = total + map[i].size < total ? UINT64_MAX
                                                : total + map[i].size;

    return total;
}

uint32_t efi_type_to_e820(uint32_t efi_type)
{
    switch ( efi_type )
    {
    case 1:  /* EfiLoaderCode */
    case 2:  /* EfiLoaderData */
    case 3:  /* EfiBootServicesCode */
    case 4:  /* EfiBootServicesData */
    case 7:  /* EfiConventionalMemory */
        return E820_RAM;
    case 8:  /* EfiUnusableMemory */
        return E820_UNUSABLE;
    case 9:  /* EfiACPIReclaimMemory */
        return E820_ACPI;
    case 10: /* EfiACPIMemoryNVS */
        return E820_NVS;
    default:
        /*
         * Runtime services, MMIO, PAL code, persistent memory and types
         * from later specifications: none of it is ours to allocate.
         */
        return E820_RESERVED;
    }
}

const char *e820_type_name(uint32_t type)
{
    switch ( type )
    {
    case E820_RAM:      return "RAM";
    case E820_RESERVED: return "reserved";
    case E820_ACPI:     return "ACPI data";
    case E820_NVS:      return "ACPI NVS";
    case E820_UNUSABLE: return "unusable";
    default:            return "unknown";
    }
}

void e820_print(const struct e820map *m)
{
    unsigned int i;

    /* Inclusive ends, so an entry reaching 2^64 prints without wrapping. */
    for ( i = 0; i < m->nr_map; i++ )
    {
        const struct e820entry *e = &m->map[i];

        /* A raw map may hold empty entries; there is no last byte. */
        if ( !e->size )
            printk(" %016lx - (empty) (%s)\n", e->addr,
                   e820_type_name(e->type));
        else if ( e->type < E820_RAM || e->type > E820_UNUSABLE )
            printk(" %016lx - %016lx (type %u)\n", e->addr, entry_last(e),
                   e->type);
        else
            printk(" %016lx - %016lx (%s)\n", e->addr, entry_last(e),
                   e820_type_name(e->type));
    }
}
