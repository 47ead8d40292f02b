/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checks the sanitised memory map against the loader's raw map.
 *
 * The RAM total is recomputed from e820_raw by a different method than
 * e820_sanitise() uses: every elementary interval between two raw
 * boundaries counts as RAM if some raw RAM entry covers it and no
 * non-RAM entry does.
 */
#include <asm/e820.h>
#include <xen/lib.h>
#include <xen/selftest.h>

static bool covered(const struct e820map *m, uint64_t a, uint64_t b,
                    bool want_ram)
{
    unsigned int i;

    for ( i = 0; i < m->nr_map; i++ )
    {
        const struct e820entry *e = &m->map[i];
        uint64_t end = e->addr + e->size;

        if ( end < e->addr )
            end = ~0ULL; /* clipped at 2^64 */
        if ( (e->type == E820_RAM) == want_ram && e->addr <= a && b <= end )
            return true;
    }

    return false;
}

/* Boundaries of the raw map, sorted, in a caller's array. */
static unsigned int raw_boundaries(uint64_t *pts)
{
    unsigned int i, j, n = 0;

    for ( i = 0; i < e820_raw.nr_map; i++ )
    {
        uint64_t end = e820_raw.map[i].addr + e820_raw.map[i].size;

        pts[n++] = e820_raw.map[i].addr;
        pts[n++] = end < e820_raw.map[i].addr ? ~0ULL : end;
    }
    /* Insertion sort: at most 2 * E820_MAX points, once per boot. */
    for ( i = 1; i < n; i++ )
        for ( j = i; j && pts[j - 1] > pts[j]; j-- )
        {
            uint64_t t = pts[j];

            pts[j] = pts[j - 1];
            pts[j - 1] = t;
        }

    return n;
}

static const char *selftest_memmap(void)
{
    static uint64_t pts[2 * E820_MAX];
    unsigned int i, n = raw_boundaries(pts);
    uint64_t expect = 0, got = e820_ram_bytes(e820.map, e820.nr_map);

    if ( !e820.nr_map || !got )
        return selftest_fail("no RAM in the memory map");

    for ( i = 0; i < e820.nr_map; i++ )
    {
        const struct e820entry *e = &e820.map[i], *prev = e - 1;

        if ( !e->size )
            return selftest_fail("entry %u is empty", i);
        if ( i && prev->addr + prev->size > e->addr )
            return selftest_fail("entries %u and %u overlap or are unsorted",
                                 i - 1, i);
        if ( i && prev->addr + prev->size == e->addr && prev->type == e->type )
            return selftest_fail("entries %u and %u should have merged",
                                 i - 1, i);
    }

    for ( i = 0; i + 1 < n; i++ )
        if ( pts[i] < pts[i + 1] && covered(&e820_raw, pts[i], pts[i + 1], true) &&
             !covered(&e820_raw, pts[i], pts[i + 1], false) )
            expect += pts[i + 1] - pts[i];

    if ( got != expect )
        return selftest_fail("RAM %#lx bytes after sanitising, loader map "
                             "says %#lx", got, expect);

    return NULL;
}
REGISTER_SELFTEST("memmap", selftest_memmap);
