/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen/common/xmalloc.c on the host, over a page backend of aligned host
 * memory that counts what is outstanding, so a test can prove every page
 * came back. Random runs are checked against a model (every live block
 * keeps its own fill pattern, so any overlap shows), and BUG paths run in
 * forked children.
 */
#include "harness.h"
#include "shim.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/xmalloc.h>

#define PAGE 4096UL

/* ------------------------------------------------------------------------
 * Page backend
 */

static long pages_out;      /* pages handed to xmalloc and not returned */
static long refuse_after = -1; /* refuse allocations once this many more */

#define MAX_LARGE 4096
static struct { void *p; unsigned int order; } large[MAX_LARGE];

void *alloc_xenheap_pages(unsigned int order, unsigned int memflags);
void free_xenheap_pages(void *va, unsigned int order);

void *alloc_xenheap_pages(unsigned int order, unsigned int memflags)
{
    void *p;

    (void)memflags;
    if ( refuse_after == 0 )
        return NULL;
    if ( refuse_after > 0 )
        refuse_after--;
    p = aligned_alloc(PAGE, PAGE << order);
    if ( p )
    {
        memset(p, 0xa5, PAGE << order); /* not zero: xzalloc must clear */
        pages_out += 1L << order;
    }
    return p;
}

void free_xenheap_pages(void *va, unsigned int order)
{
    if ( !va )
        return;
    pages_out -= 1L << order;
    free(va);
}

void large_order_set(void *p, unsigned int order)
{
    unsigned int i;

    for ( i = 0; i < MAX_LARGE; i++ )
        if ( !large[i].p )
        {
            large[i].p = p;
            large[i].order = order;
            return;
        }
    abort();
}

unsigned int large_order_get(const void *p)
{
    unsigned int i;

    for ( i = 0; i < MAX_LARGE; i++ )
        if ( large[i].p == p )
        {
            large[i].p = NULL;
            return large[i].order;
        }
    fprintf(stderr, "large_order_get: unknown %p\n", p);
    abort();
}

static void check_empty(void)
{
    struct xmalloc_stats st;

    xmalloc_trim();
    xmalloc_get_stats(&st);
    CHECK_EQ(st.pool_pages, 0);
    CHECK_EQ(st.large_pages, 0);
    CHECK_EQ(st.objects, 0);
    CHECK_EQ(st.bytes, 0);
    CHECK_EQ(pages_out, 0);
}

/* ------------------------------------------------------------------------
 * Cases
 */

TEST(every_small_size_and_alignment)
{
    size_t size, align;

    for ( size = 1; size <= 1100; size += 13 )
        for ( align = 1; align <= 4096; align <<= 1 )
        {
            unsigned char *p = _xmalloc(size, align);
            size_t want = align < 16 ? 16 : align;

            CHECK(p);
            CHECK_MSG(!((unsigned long)p % want), "%p for %zu at %zu", p, size,
                      align);
            memset(p, 0x5a, size);
            xfree(p);
        }
    check_empty();
}

TEST(large_blocks_are_page_aligned_and_return)
{
    static const size_t sizes[] = { 1025, 4096, 4097, 9000, 65536, 100000 };
    void *p[6];
    unsigned int i;

    for ( i = 0; i < 6; i++ )
    {
        p[i] = xmalloc_bytes(sizes[i]);
        CHECK(p[i] && !((unsigned long)p[i] % PAGE));
        memset(p[i], i, sizes[i]);
    }
    CHECK(pages_out >= 1 + 1 + 2 + 3 + 16 + 25);
    for ( i = 0; i < 6; i++ )
        xfree(p[i]);
    check_empty();
}

TEST(xzalloc_clears)
{
    unsigned char *p = xzalloc_bytes(200), *q = _xzalloc(5000, 64);
    size_t i;

    CHECK(p && q);
    for ( i = 0; i < 200; i++ )
        CHECK_EQ(p[i], 0);
    for ( i = 0; i < 5000; i++ )
        CHECK_EQ(q[i], 0);
    xfree(p);
    xfree(q);
    check_empty();
}

TEST(bad_requests_fail)
{
    CHECK(!_xmalloc(0, 16));
    CHECK(!_xmalloc(16, 0));
    CHECK(!_xmalloc(16, 3));
    CHECK(!_xmalloc(16, 8192));
    CHECK(!xmalloc_array(uint64_t, ~(size_t)0 / 4));
    CHECK(!xzalloc_array(uint32_t, ~(size_t)0 / 2 + 1));
    xfree(NULL);
    check_empty();
}

TEST(backend_refusal_leaves_nothing_behind)
{
    void *p;

    refuse_after = 0;
    CHECK(!xmalloc_bytes(64));
    CHECK(!xmalloc_bytes(8192));
    refuse_after = -1;
    check_empty();
    p = xmalloc_bytes(64);
    CHECK(p);
    xfree(p);
    check_empty();
}

/* A page full of one class, then one more object: a second page. */
TEST(full_pages_and_partial_lists)
{
    void *p[600];
    unsigned int i;
    struct xmalloc_stats st;

    for ( i = 0; i < 600; i++ )
        CHECK((p[i] = xmalloc_bytes(16)) != NULL);
    xmalloc_get_stats(&st);
    CHECK_EQ(st.objects, 600);
    CHECK(st.pool_pages >= 3); /* at most ~253 objects of 16 bytes a page */
    /* Free every other object, then allocate again: the holes are reused. */
    for ( i = 0; i < 600; i += 2 )
        xfree(p[i]);
    xmalloc_get_stats(&st);
    CHECK(st.pool_pages >= 3);
    for ( i = 0; i < 600; i += 2 )
        CHECK((p[i] = xmalloc_bytes(16)) != NULL);
    for ( i = 0; i < 600; i++ )
        xfree(p[i]);
    check_empty();
}

#define LIVE 2000

static struct { unsigned char *p; size_t size; unsigned char tag; } live[LIVE];

static void check_block(unsigned int i)
{
    size_t j;

    for ( j = 0; j < live[i].size; j++ )
        CHECK_MSG(live[i].p[j] == live[i].tag,
                  "block %u (%zu bytes) byte %zu overwritten", i, live[i].size,
                  j);
}

TEST(random_against_model)
{
    unsigned long long seed = 0x243f6a8885a308d3ULL;
    unsigned long op;
    unsigned int i;

    for ( op = 0; op < 100000; op++ )
    {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        i = seed % LIVE;
        if ( live[i].p )
        {
            check_block(i);
            xfree(live[i].p);
            live[i].p = NULL;
        }
        else
        {
            size_t size = 1 + (seed >> 20) % ((seed >> 40) % 7 ? 700 : 9000);
            size_t align = 1UL << ((seed >> 50) % 13);

            live[i].p = _xmalloc(size, align);
            CHECK(live[i].p);
            CHECK(!((unsigned long)live[i].p % (align < 16 ? 16 : align)));
            live[i].size = size;
            live[i].tag = (unsigned char)(op | 1);
            memset(live[i].p, live[i].tag, size);
        }
    }
    for ( i = 0; i < LIVE; i++ )
        if ( live[i].p )
        {
            check_block(i);
            xfree(live[i].p);
            live[i].p = NULL;
        }
    check_empty();
}

/* ------------------------------------------------------------------------
 * Misuse must BUG
 */

static int dies(void (*fn)(void))
{
    int status;
    pid_t pid;

    fflush(NULL);
    pid = fork();
    if ( !pid )
    {
        int devnull = open("/dev/null", 1);

        dup2(devnull, 2);
        fn();
        _exit(0);
    }
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void double_free(void)
{
    void *p = xmalloc_bytes(32), *keep = xmalloc_bytes(32);

    (void)keep; /* keeps the page alive, so the second free finds it */
    xfree(p);
    xfree(p);
}

static void stray_free(void)
{
    char *p = xmalloc_bytes(64);

    xfree(p + 8);
}

TEST(spare_page_survives_churn_until_trimmed)
{
    struct xmalloc_stats st;
    long pages;
    int i;

    xfree(xmalloc_bytes(64));
    pages = pages_out;
    CHECK_EQ(pages, 1); /* the spare */
    for ( i = 0; i < 100; i++ )
        xfree(xmalloc_bytes(64));
    CHECK_EQ(pages_out, pages); /* no page taken or returned meanwhile */
    xmalloc_get_stats(&st);
    CHECK_EQ(st.objects, 0);
    check_empty(); /* trims */
}

TEST(double_and_stray_frees_bug)
{
    CHECK_MSG(dies(double_free), "a double free went unnoticed");
    CHECK_MSG(dies(stray_free), "a free of a pointer inside a block went "
              "unnoticed");
}

