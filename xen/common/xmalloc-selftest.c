/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-test of xmalloc: many sizes and alignments, patterns that would
 * show any overlap, frees in a scrambled order, and pool statistics that
 * must come back exactly.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/selftest.h>
#include <xen/string.h>
#include <xen/xmalloc.h>

#define NR_OBJS 640

static const size_t sizes[] = {
    1, 7, 16, 17, 31, 48, 64, 100, 128, 255, 256, 300, 513, 1000, 1024,
    1025, 2000, 4096, 5000, 9000, 20000,
};

static struct {
    unsigned char *p;
    size_t size;
    unsigned char tag;
} objs[NR_OBJS];

static const char *check_obj(unsigned int i)
{
    size_t j;

    for ( j = 0; j < objs[i].size; j++ )
        if ( objs[i].p[j] != objs[i].tag )
            return selftest_fail("object %u (%zu bytes at %p) byte %zu is "
                                 "%#x, want %#x", i, objs[i].size, objs[i].p,
                                 j, objs[i].p[j], objs[i].tag);

    return NULL;
}

static const char *selftest_xmalloc(void)
{
    struct xmalloc_stats before, after;
    uint64_t rng = 0x786d616c6c6f6321UL;
    unsigned int i, n, left;
    const char *fail = NULL;

    xmalloc_trim();
    xmalloc_get_stats(&before);

    for ( i = 0; i < NR_OBJS; i++ )
    {
        size_t align = 1UL << selftest_random(&rng, 13); /* 1 .. 4096 */

        objs[i].size = sizes[selftest_random(&rng, ARRAY_SIZE(sizes))];
        objs[i].tag = 0x40 + (i % 0xbf);
        objs[i].p = _xmalloc(objs[i].size, align);
        if ( !objs[i].p )
        {
            fail = selftest_fail("allocation %u of %zu bytes failed", i,
                                 objs[i].size);
            break;
        }
        if ( (unsigned long)objs[i].p & (max(align, (size_t)16) - 1) )
        {
            fail = selftest_fail("%p is not aligned to %zu", objs[i].p, align);
            i++;
            break;
        }
        memset(objs[i].p, objs[i].tag, objs[i].size);
    }
    n = i;

    /* Every object still holds its own pattern: nothing overlapped. */
    for ( i = 0; i < n && !fail; i++ )
        fail = check_obj(i);

    /* Free in a scrambled order. */
    for ( left = n; left; left-- )
    {
        unsigned int k = selftest_random(&rng, left);

        xfree(objs[k].p);
        objs[k] = objs[left - 1];
    }

    xmalloc_trim();
    xmalloc_get_stats(&after);
    if ( !fail && (after.pool_pages != before.pool_pages ||
                   after.large_pages != before.large_pages ||
                   after.objects != before.objects ||
                   after.bytes != before.bytes) )
        fail = selftest_fail("after freeing: %lu pool pages (had %lu), %lu "
                             "objects (had %lu), %lu bytes (had %lu)",
                             after.pool_pages, before.pool_pages,
                             after.objects, before.objects, after.bytes,
                             before.bytes);

    if ( !fail && xmalloc_array(uint64_t, ~(size_t)0 / 4) )
        fail = selftest_fail("an overflowing array size was allocated");
    if ( !fail && (_xmalloc(16, 3) || _xmalloc(16, 2 * PAGE_SIZE) ||
                   _xmalloc(0, 16)) )
        fail = selftest_fail("a bad alignment or a zero size was allocated");

    return fail;
}
REGISTER_SELFTEST("xmalloc", selftest_xmalloc);
