/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The heap, xen/common/page_alloc.c, on a fake machine: a frame table
 * and frame contents in host memory (reserved up to 16 GiB of frames,
 * populated only where touched), map_domain_page() returning a frame's
 * host address, and interrupt-flag helpers that only record.
 *
 * Every allocation and free made through the helpers below is checked
 * against a frame-by-frame model (which frames the heap owns, which are
 * handed out), and audit() walks the whole frame table: the free blocks
 * are exactly the model's free frames, aligned, each inside one zone,
 * with no two free buddies left unmerged, and the counters agree. Since
 * a set of free frames has exactly one fully merged decomposition, this
 * pins down the shape of the free lists too.
 *
 * The same cases run against a debug build of the heap (test-heap:
 * poisoning, ASSERTs) and a release build (test-heap-release: zeroing);
 * they expect the debug-only checks (poison, whole-block state on free,
 * warnings) only of the first. Bugs that must end in BUG() run in a
 * forked child whose death by abort() is checked.
 */
#include "harness.h"
#include "shim.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* See asm/mm.h as page_alloc.o does: frame_table is host_frame_table. */
#define __XEN_HOST_TEST__

#include <asm/mm.h>
#include <asm/page-list.h>
#include <xen/domain_page.h>
#include <xen/lib.h>
#include <xen/mm.h>

#include "irq-shim.h"

#define PAGE ((unsigned long)PAGE_SIZE)

/* 16 GiB of frames, and a little more for tests around 4 GiB. */
#define MAX_FRAMES ((1UL << 22) + (1UL << 12))
#define GIB4 (1UL << 20)            /* the frame at 4 GiB */

#define POISON 0xc2

#ifdef CONFIG_DEBUG
#define DEBUG_BUILD true
#else
#define DEBUG_BUILD false
#endif

/* ------------------------------------------------------------------------
 * The fake machine.
 */

static struct page_info *ft;
static uint8_t *ram;
static unsigned long hole_s, hole_e;  /* frames without a page_info */

struct page_info *host_frame_table;
unsigned long max_page;

static unsigned long maps_in_use, maps_total, maps_irqs_off;
static bool irqs_on = true;
static unsigned long irq_saves;

bool mfn_valid(mfn_t mfn)
{
    return mfn_x(mfn) < max_page &&
           !(mfn_x(mfn) >= hole_s && mfn_x(mfn) < hole_e);
}

void *map_domain_page(mfn_t mfn)
{
    CHECK_MSG(mfn_valid(mfn), "map_domain_page(%#lx): no such frame",
              mfn_x(mfn));
    maps_in_use++;
    maps_total++;
    if ( !irqs_on )
        maps_irqs_off++;
    return ram + mfn_x(mfn) * PAGE;
}

void unmap_domain_page(const void *va)
{
    const uint8_t *p = va;

    CHECK_MSG(p >= ram && p < ram + max_page * PAGE,
              "unmap_domain_page(%p): not a mapping", va);
    CHECK(maps_in_use > 0);
    maps_in_use--;
}

void local_irq_disable(void)
{
    irqs_on = false;
}

void local_irq_enable(void)
{
    irqs_on = true;
}

unsigned long local_irq_save(void)
{
    unsigned long flags = irqs_on ? SHIM_EFLAGS_IF : 0;

    irqs_on = false;
    irq_saves++;
    return flags;
}

void local_irq_restore(unsigned long flags)
{
    irqs_on = flags & SHIM_EFLAGS_IF;
}

bool local_irq_is_enabled(void)
{
    return irqs_on;
}

static uint8_t *frame(unsigned long mfn)
{
    return ram + mfn * PAGE;
}

static unsigned long mfn_of(const struct page_info *pg)
{
    return pg - ft;
}

static void __attribute__((constructor)) reserve_machine(void)
{
    /* Reserved, not committed: only what a test touches costs memory. */
    ft = mmap(NULL, MAX_FRAMES * sizeof(*ft), PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    ram = mmap(NULL, MAX_FRAMES * PAGE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if ( ft == MAP_FAILED || ram == MAP_FAILED )
    {
        perror("test-heap: reserving the fake machine");
        exit(2);
    }
    host_frame_table = ft;
}

/* ------------------------------------------------------------------------
 * The model: what each frame is to the heap.
 */

enum { M_NONE, M_FREE, M_USED };
static uint8_t model[MAX_FRAMES];
static unsigned long model_free;

static uint64_t rng_state;

static uint64_t rng64(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static unsigned long rng(unsigned long bound)
{
    return rng64() % bound;
}

/* Fisher-Yates, with the test's own generator so runs repeat. */
static void shuffle(struct page_info **v, unsigned long n)
{
    unsigned long i;

    for ( i = n; i > 1; i-- )
    {
        unsigned long j = rng(i);
        struct page_info *t = v[i - 1];

        v[i - 1] = v[j];
        v[j] = t;
    }
}

static unsigned int zone_of(unsigned long mfn)
{
    return mfn ? 64 - __builtin_clzl(mfn) : 0;
}

static unsigned int zone_top_order(unsigned int z)
{
    return z ? min(z - 1, (unsigned int)MAX_ORDER) : 0;
}

/* Address width of a frame's zone: all of it lies below 2^bits bytes. */
static unsigned int zone_bits(unsigned long mfn)
{
    return zone_of(mfn) + PAGE_SHIFT;
}

/*
 * Empties the heap whatever state the last test left it in (its state
 * is static in page_alloc.c and an empty heap is its initial state),
 * then gives the next test a fresh machine of `frames` frames: every
 * page_info zero, that is in use, as frame_table_init() leaves them.
 */
static void machine(unsigned long frames)
{
    unsigned long mfn, old = max_page;
    int order;

    CHECK(frames <= MAX_FRAMES);

    /* Skip the debug poison check: these contents are thrown away. */
    for ( mfn = 0; mfn < old; mfn++ )
        ft[mfn].count_info &= ~PGC_poisoned;
    for ( order = MAX_ORDER; order >= 0; order-- )
        while ( alloc_domheap_pages(order, MEMF_no_scrub) )
            continue;
    CHECK_EQU(avail_domheap_pages(), 0);

    if ( old )
    {
        CHECK(!madvise(ft, ROUNDUP(old * sizeof(*ft), PAGE), MADV_DONTNEED));
        CHECK(!madvise(ram, old * PAGE, MADV_DONTNEED));
        memset(model, 0, old);
    }
    max_page = frames;
    hole_s = hole_e = 0;
    model_free = 0;
    maps_in_use = maps_total = maps_irqs_off = 0;
    irqs_on = true;
    irq_saves = 0;
    rng_state = 0x2545f4914f6cdd1dUL;
    printk_clear();
}

/* After every heap call: interrupts back on, mappings all released. */
static void after_call(void)
{
    CHECK_MSG(irqs_on, "interrupts left disabled");
    CHECK_EQU(maps_in_use, 0);
    CHECK_MSG(!maps_irqs_off, "%lu pages mapped with interrupts off (inside "
              "the heap's critical section)", maps_irqs_off);
}

static void heap_add(unsigned long mfn, unsigned long nr)
{
    unsigned long i;

    for ( i = 0; i < nr; i++ )
    {
        CHECK(model[mfn + i] == M_NONE);
        model[mfn + i] = M_FREE;
    }
    model_free += nr;
    init_heap_pages(_mfn(mfn), nr);
    after_call();
    CHECK_EQU(avail_domheap_pages(), model_free);
}

static uint64_t tag_of(unsigned long mfn)
{
    return (mfn * 0x9e3779b97f4a7c15UL) ^ 0x5a5a;
}

static bool page_is(unsigned long mfn, uint8_t byte)
{
    const uint8_t *p = frame(mfn);
    unsigned long i;

    for ( i = 0; i < PAGE; i++ )
        if ( p[i] != byte )
            return false;
    return true;
}

/* Pages of a block whose contents the helpers check: first and last. */
static unsigned int nr_samples(unsigned int order)
{
    return order ? 2 : 1;
}

static unsigned long sample(unsigned long mfn, unsigned int order,
                            unsigned int which)
{
    return which ? mfn + (1UL << order) - 1 : mfn;
}

/*
 * The block at mfn came from the highest zone that could serve it: no
 * zone above it, up to the limit, has a free block of its order or more.
 * Such a block starts at a multiple of 2^order, so only those are looked
 * at, and only if the zones above hold enough free frames at all.
 */
static void check_zone_choice(unsigned long mfn, unsigned int order,
                              unsigned int bits, unsigned long below)
{
    unsigned long n = 1UL << order, m, end = max_page;
    unsigned long above = below - avail_heap_pages_below(zone_bits(mfn));

    if ( above < n )
        return;
    CHECK_MSG(order, "order 0 at %#lx (MEMF_bits(%u)) while %lu frames were "
              "free in higher zones", mfn, bits, above);
    if ( bits && bits - PAGE_SHIFT < 63 )
        end = min(end, 1UL << (bits - PAGE_SHIFT));
    for ( m = 1UL << zone_of(mfn); m < end; m += n )
        CHECK_MSG(!mfn_valid(_mfn(m)) || !page_state_is(&ft[m], free) ||
                  page_get_order(&ft[m]) > MAX_ORDER ||
                  page_get_order(&ft[m]) < order,
                  "order %u at %#lx (MEMF_bits(%u)) while %#lx heads a free "
                  "block of order %u in a higher zone", order, mfn, bits, m,
                  page_get_order(&ft[m]));
}

/*
 * alloc_domheap_pages() with every promise checked: aligned, owned by
 * the heap and free until now, below the MEMF_bits limit, from the
 * highest zone that could serve it, in use, zeroed unless no_scrub.
 */
static struct page_info *alloc_pages(unsigned int order, unsigned int flags)
{
    unsigned int bits = MEMF_get_bits(flags);
    unsigned long below = avail_domheap_pages(), mfn, n, i;
    struct page_info *pg;
    unsigned int s;

    if ( bits )
        below = avail_heap_pages_below(bits);
    pg = alloc_domheap_pages(order, flags);
    after_call();
    if ( !pg )
    {
        CHECK_EQU(avail_domheap_pages(), model_free);
        return NULL;
    }

    CHECK(order <= MAX_ORDER);
    n = 1UL << order;
    mfn = mfn_of(pg);
    CHECK_MSG(!(mfn & (n - 1)), "order %u at %#lx: misaligned", order, mfn);
    CHECK_MSG(mfn + n <= max_page, "order %u at %#lx: past the end", order,
              mfn);
    CHECK_MSG(!bits || mfn + n <= (1UL << (bits - PAGE_SHIFT)),
              "MEMF_bits(%u) order %u at %#lx", bits, order, mfn);
    for ( i = 0; i < n; i++ )
    {
        CHECK_MSG(model[mfn + i] == M_FREE, "order %u at %#lx: frame %#lx "
                  "was not free (model %u)", order, mfn, mfn + i,
                  model[mfn + i]);
        CHECK_MSG(pg[i].count_info == PGC_state_inuse,
                  "frame %#lx: count_info %#lx after allocation", mfn + i,
                  pg[i].count_info);
        model[mfn + i] = M_USED;
    }
    model_free -= n;
    CHECK_EQU(avail_domheap_pages(), model_free);
    check_zone_choice(mfn, order, bits, below - n);

    for ( s = 0; s < nr_samples(order); s++ )
    {
        unsigned long m = sample(mfn, order, s);

        if ( !(flags & MEMF_no_scrub) )
            CHECK_MSG(page_is(m, 0), "frame %#lx not zeroed", m);
        memcpy(frame(m) + 8, &(uint64_t){ tag_of(m) }, 8);
    }

    return pg;
}

/* free_domheap_pages(), checking the block was ours and gets scrubbed. */
static void free_pages(struct page_info *pg, unsigned int order)
{
    unsigned long mfn = mfn_of(pg), n = 1UL << order, i;
    unsigned int s;

    for ( s = 0; s < nr_samples(order); s++ )
    {
        unsigned long m = sample(mfn, order, s);
        uint64_t tag;

        memcpy(&tag, frame(m) + 8, 8);
        CHECK_MSG(tag == tag_of(m), "frame %#lx: pattern overwritten while "
                  "allocated", m);
    }
    for ( i = 0; i < n; i++ )
    {
        CHECK(model[mfn + i] == M_USED);
        model[mfn + i] = M_FREE;
    }
    model_free += n;

    free_domheap_pages(pg, order);
    after_call();
    CHECK_EQU(avail_domheap_pages(), model_free);

    for ( s = 0; s < nr_samples(order); s++ )
    {
        unsigned long m = sample(mfn, order, s);

        CHECK_MSG(page_is(m, DEBUG_BUILD ? POISON : 0),
                  "freed frame %#lx not scrubbed", m);
        CHECK_MSG(page_state_is(&ft[m], free) &&
                  !!(ft[m].count_info & PGC_poisoned) == DEBUG_BUILD,
                  "freed frame %#lx: count_info %#lx", m, ft[m].count_info);
    }
}

/*
 * The whole frame table against the model and the counters; returns
 * the number of free blocks.
 */
static unsigned long audit(void)
{
    unsigned long zone_free[64] = { 0 };
    unsigned long mfn = 0, total = 0, blocks = 0, sum;
    int top = -1;
    unsigned int z, bits;

    while ( mfn < max_page )
    {
        const struct page_info *pg = &ft[mfn];
        unsigned long n, i, buddy;
        unsigned int order;

        if ( !mfn_valid(_mfn(mfn)) || !page_state_is(pg, free) )
        {
            CHECK_MSG(model[mfn] != M_FREE, "free frame %#lx not in the heap "
                      "(count_info %#lx)", mfn,
                      mfn_valid(_mfn(mfn)) ? pg->count_info : 0);
            mfn++;
            continue;
        }

        order = page_get_order(pg);
        CHECK_MSG(order <= MAX_ORDER, "frame %#lx is free but heads no block "
                  "and is in none (v.order %#x)", mfn, order);
        n = 1UL << order;
        CHECK_MSG(!(mfn & (n - 1)) && mfn + n <= max_page &&
                  zone_of(mfn) == zone_of(mfn + n - 1),
                  "free block %#lx order %u: misplaced", mfn, order);
        for ( i = 0; i < n; i++ )
        {
            CHECK_MSG(model[mfn + i] == M_FREE, "frame %#lx in free block "
                      "%#lx order %u is not free (model %u)", mfn + i, mfn,
                      order, model[mfn + i]);
            CHECK_MSG(!i || (mfn_valid(_mfn(mfn + i)) &&
                             page_state_is(&pg[i], free) &&
                             page_get_order(&pg[i]) > MAX_ORDER),
                      "frame %#lx of free block %#lx order %u: count_info "
                      "%#lx v.order %#x", mfn + i, mfn, order,
                      pg[i].count_info, page_get_order(&pg[i]));
        }

        buddy = mfn ^ n;
        CHECK_MSG(order == zone_top_order(zone_of(mfn)) ||
                  !mfn_valid(_mfn(buddy)) ||
                  !page_state_is(&ft[buddy], free) ||
                  page_get_order(&ft[buddy]) != order,
                  "free buddies %#lx and %#lx of order %u not merged", mfn,
                  buddy, order);

        zone_free[zone_of(mfn)] += n;
        total += n;
        blocks++;
        top = max(top, (int)order);
        mfn += n;
    }

    CHECK_EQU(total, model_free);
    CHECK_EQU(avail_domheap_pages(), total);
    CHECK_EQ(heap_max_free_order(), top);
    for ( bits = PAGE_SHIFT, sum = 0, z = 0; z < 64 - PAGE_SHIFT;
          z++, bits++ )
    {
        sum += zone_free[z];
        CHECK_MSG(avail_heap_pages_below(bits) == sum,
                  "avail_heap_pages_below(%u) = %lu, want %lu", bits,
                  avail_heap_pages_below(bits), sum);
    }
    after_call();

    return blocks;
}

/* The free block headed by mfn has this order. */
static void check_block(unsigned long mfn, unsigned int order)
{
    CHECK_MSG(page_state_is(&ft[mfn], free) &&
              page_get_order(&ft[mfn]) == order,
              "frame %#lx: count_info %#lx v.order %#x, want a free block of "
              "order %u", mfn, ft[mfn].count_info, page_get_order(&ft[mfn]),
              order);
}

/* ------------------------------------------------------------------------
 * Held blocks, for tests that take many: a page list through the heads,
 * the order kept in v.order (the holder owns the page).
 */

static PAGE_LIST_HEAD(held);
static unsigned long nr_held;

static void hold(struct page_info *pg, unsigned int order)
{
    page_set_order(pg, order);
    page_list_add(pg, &held);
    nr_held++;
}

/* Frees all held blocks in a random order. */
static void free_held_randomly(void)
{
    struct page_info **v = calloc(nr_held ? nr_held : 1, sizeof(*v)), *pg;
    unsigned long i, n = 0;

    CHECK(v);
    while ( (pg = page_list_remove_head(&held)) )
        v[n++] = pg;
    CHECK_EQU(n, nr_held);
    shuffle(v, n);
    for ( i = 0; i < n; i++ )
        free_pages(v[i], page_get_order(v[i]));
    free(v);
    nr_held = 0;
}

/* ------------------------------------------------------------------------
 * Death tests: the heap must BUG, not carry on.
 */

static void dump_printk_then_die(int sig)
{
    const char *s = printk_output();

    /* What the heap printed before BUG() is part of the evidence. */
    if ( write(2, s, strlen(s)) < 0 )
        _exit(3);
    signal(sig, SIG_DFL);
    raise(sig);
}

/*
 * Runs fn in a child; it must die by abort() (BUG(), a failed ASSERT()
 * and panic() all end there in the shim), having printed every string
 * of the NULL-terminated list on stderr or through printk().
 */
static void expect_bug(void (*fn)(void), ...)
{
    static char out[65536];
    size_t len = 0;
    int fds[2], status;
    const char *needle;
    va_list ap;
    pid_t pid;
    ssize_t r;

    fflush(NULL);
    CHECK(!pipe(fds));
    pid = fork();
    CHECK(pid >= 0);
    if ( !pid )
    {
        close(fds[0]);
        dup2(fds[1], 2);
        printk_clear();
        signal(SIGABRT, dump_printk_then_die);
        fn();
        _exit(0);
    }

    close(fds[1]);
    while ( (r = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0 )
        len += r;
    out[len] = '\0';
    close(fds[0]);
    CHECK(waitpid(pid, &status, 0) == pid);

    CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
              "the child did not BUG (status %#x), it said: %s", status, out);
    va_start(ap, fn);
    while ( (needle = va_arg(ap, const char *)) )
        CHECK_MSG(strstr(out, needle), "no \"%s\" in: %s", needle, out);
    va_end(ap);
}

/* ------------------------------------------------------------------------
 * Page lists (asm/page-list.h), whose links are 32-bit frame numbers.
 */

/* The list holds exactly want[0..n), in order, both ways round. */
static void check_list(const struct page_list_head *l,
                       const unsigned long *want, unsigned int n)
{
    const struct page_info *pg;
    unsigned int i = 0;

    CHECK_EQ(page_list_empty(l), n == 0);
    page_list_for_each ( pg, l )
    {
        CHECK_MSG(i < n && mfn_of(pg) == want[i], "forward %u: frame %#lx",
                  i, mfn_of(pg));
        i++;
    }
    CHECK_EQU(i, n);
    for ( pg = page_list_last(l); pg; pg = page_list_prev(pg) )
    {
        CHECK_MSG(i > 0 && mfn_of(pg) == want[i - 1],
                  "backward %u: frame %#lx", i, mfn_of(pg));
        i--;
    }
    CHECK_EQU(i, 0);
    if ( n )
    {
        CHECK_EQU(ft[want[0]].list.prev, PAGE_LIST_NULL);
        CHECK_EQU(ft[want[n - 1]].list.next, PAGE_LIST_NULL);
    }
}

TEST(page_list_links_are_frame_numbers)
{
    PAGE_LIST_HEAD(l);
    const unsigned long top = MAX_FRAMES - 1;

    machine(4096);
    check_list(&l, NULL, 0);

    /* Frame 0 is a frame like any other, not "none". */
    page_list_add_tail(&ft[0], &l);
    page_list_add_tail(&ft[top], &l);
    page_list_add_tail(&ft[7], &l);
    page_list_add(&ft[100], &l);
    check_list(&l, (unsigned long[]){ 100, 0, top, 7 }, 4);
    CHECK_EQU(ft[100].list.next, 0);
    CHECK_EQU(ft[0].list.next, top);
    CHECK_EQU(ft[7].list.prev, top);

    /* From the middle, the back and the front. */
    page_list_del(&ft[0], &l);
    CHECK_EQU(ft[0].list.next, PAGE_LIST_NULL);
    CHECK_EQU(ft[0].list.prev, PAGE_LIST_NULL);
    check_list(&l, (unsigned long[]){ 100, top, 7 }, 3);
    page_list_del(&ft[7], &l);
    check_list(&l, (unsigned long[]){ 100, top }, 2);
    CHECK(page_list_remove_head(&l) == &ft[100]);
    check_list(&l, (unsigned long[]){ top }, 1);
    CHECK(page_list_first(&l) == page_list_last(&l));
    CHECK(page_list_remove_head(&l) == &ft[top]);
    check_list(&l, NULL, 0);
    CHECK(!page_list_last(&l));
    CHECK(!page_list_remove_head(&l));
}

TEST(page_list_for_each_safe_survives_deleting_every_page)
{
    PAGE_LIST_HEAD(l);
    unsigned long want[64], kept[64];
    struct page_info *pg, *tmp;
    unsigned int i, n = 0;

    machine(4096);
    for ( i = 0; i < 64; i++ )
    {
        want[i] = i * 61 + 3;
        page_list_add_tail(&ft[want[i]], &l);
    }
    check_list(&l, want, 64);

    /* Every third page goes; the walk must still visit all of them. */
    i = 0;
    page_list_for_each_safe ( pg, tmp, &l )
    {
        CHECK_EQU(mfn_of(pg), want[i]);
        if ( i % 3 )
            kept[n++] = want[i];
        else
            page_list_del(pg, &l);
        i++;
    }
    CHECK_EQU(i, 64);
    check_list(&l, kept, n);

    page_list_for_each_safe ( pg, tmp, &l )
        page_list_del(pg, &l);
    check_list(&l, NULL, 0);
}

/* ------------------------------------------------------------------------
 * Initialisation.
 */

TEST(init_odd_range_is_carved_into_maximal_blocks)
{
    unsigned long mfn;

    machine(4096);
    /* Contents must stay as they are: init neither maps nor scrubs. */
    memset(frame(5), 0x5a, PAGE);
    memset(frame(1238), 0x5a, PAGE);

    heap_add(5, 1234);                      /* [5, 1239) */
    CHECK_EQU(maps_total, 0);
    CHECK(page_is(5, 0x5a) && page_is(1238, 0x5a));
    CHECK(irq_saves > 0);

    /* The maximal aligned blocks, none crossing a zone boundary. */
    check_block(5, 0);
    check_block(6, 1);
    check_block(8, 3);
    check_block(16, 4);
    check_block(32, 5);
    check_block(64, 6);
    check_block(128, 7);
    check_block(256, 8);
    check_block(512, 9);
    check_block(1024, 7);
    check_block(1152, 6);
    check_block(1216, 4);
    check_block(1232, 2);
    check_block(1236, 1);
    check_block(1238, 0);
    CHECK_EQU(audit(), 15);
    CHECK_EQ(heap_max_free_order(), 9);
    for ( mfn = 0; mfn < 5; mfn++ )
        CHECK(page_state_is(&ft[mfn], inuse));
    CHECK(page_state_is(&ft[1239], inuse));
}

TEST(init_ranges_given_in_any_order_join_up)
{
    machine(4096);
    heap_add(100, 64);                      /* [100, 164) */
    heap_add(200, 56);                      /* [200, 256) */
    heap_add(64, 36);                       /* [64, 100) */
    heap_add(164, 36);                      /* [164, 200) */

    /* [64, 128) is all of zone 7 and [128, 256) all of zone 8. */
    CHECK_EQU(audit(), 2);
    check_block(64, 6);
    check_block(128, 7);

    /* Frame by frame, backwards: still the same two blocks. */
    heap_add(1024, 0);
    for ( unsigned long m = 2048; m-- > 1024; )
        heap_add(m, 1);
    CHECK_EQU(audit(), 3);
    check_block(1024, 10);
    CHECK_EQU(maps_total, 0);
}

TEST(init_low_memory_one_block_per_zone)
{
    unsigned int z;

    machine(1UL << 20);
    heap_add(0, 1UL << 20);                 /* 4 GiB, from frame 0 */

    /* Zone z is [2^(z-1), 2^z): one block, until MAX_ORDER caps it. */
    check_block(0, 0);
    for ( z = 1; z <= MAX_ORDER + 1; z++ )
        check_block(1UL << (z - 1), z - 1);
    check_block(1UL << 19, MAX_ORDER);
    check_block(3UL << 18, MAX_ORDER);
    CHECK_EQU(audit(), MAX_ORDER + 2 + 2);
    CHECK_EQ(heap_max_free_order(), MAX_ORDER);
    CHECK_EQU(avail_heap_pages_below(PAGE_SHIFT + 10), 1024);
    CHECK_EQU(avail_heap_pages_below(PAGE_SHIFT), 1);
    CHECK_EQU(avail_heap_pages_below(PAGE_SHIFT - 1), 0);
    CHECK_EQU(avail_heap_pages_below(0), 1UL << 20);
    CHECK_EQU(maps_total, 0);
}

TEST(init_16gib_without_touching_memory)
{
    unsigned long n = (1UL << 22) - 256, blocks = 0;
    struct page_info *pg;

    machine(1UL << 22);
    heap_add(256, n);                       /* 16 GiB less the first MiB */
    CHECK_EQU(maps_total, 0);
    CHECK_EQU(avail_domheap_pages(), n);
    CHECK_EQ(heap_max_free_order(), MAX_ORDER);
    audit();

    /* 16 blocks of 1 GiB, less the first: it lacks the first MiB. */
    while ( (pg = alloc_domheap_pages(MAX_ORDER, MEMF_no_scrub)) )
    {
        CHECK(!(mfn_of(pg) & ((1UL << MAX_ORDER) - 1)));
        blocks++;
    }
    after_call();
    CHECK_EQU(blocks, 15);
    CHECK_EQU(avail_domheap_pages(), (1UL << 18) - 256);
    /* Never freed, and no_scrub: nothing was mapped at all. */
    CHECK_EQU(maps_total, 0);
}

/* ------------------------------------------------------------------------
 * Allocation.
 */

TEST(exhaustion_one_frame_at_a_time)
{
    unsigned long n = 0, blocks;
    struct page_info *pg;

    machine(4096);
    heap_add(3, 1000);
    heap_add(2000, 17);
    blocks = audit();
    CHECK_EQU(blocks, 15 + 2);
    CHECK_EQ(heap_max_free_order(), 8);
    while ( (pg = alloc_pages(0, 0)) )
    {
        hold(pg, 0);
        n++;
    }
    CHECK_EQU(n, 1017);
    CHECK_EQU(avail_domheap_pages(), 0);
    CHECK_EQ(heap_max_free_order(), -1);
    CHECK(!alloc_pages(0, 0));
    CHECK(!alloc_pages(0, MEMF_bits(32)));
    audit();

    free_held_randomly();
    CHECK_EQU(audit(), blocks);
    CHECK_EQ(heap_max_free_order(), 8);
}

TEST(exhaustion_mixed_orders)
{
    static const unsigned int cycle[] = { 0, 3, 1, 9, 0, 5 };
    bool done[ARRAY_SIZE(cycle)] = { false };
    unsigned int i, left = ARRAY_SIZE(cycle);
    unsigned long blocks;

    machine(1UL << 16);
    heap_add(7, 20000);
    heap_add(30000, 12345);
    heap_add(50000, 15536);
    blocks = audit();

    while ( left )
        for ( i = 0; i < ARRAY_SIZE(cycle); i++ )
        {
            struct page_info *pg;

            if ( done[i] )
                continue;
            if ( (pg = alloc_pages(cycle[i], 0)) )
                hold(pg, cycle[i]);
            else
            {
                done[i] = true;
                left--;
            }
        }
    CHECK_EQU(avail_domheap_pages(), 0);
    audit();

    free_held_randomly();
    CHECK_EQU(audit(), blocks);
}

TEST(smallest_fitting_block_of_the_highest_zone)
{
    struct page_info *pg;

    machine(4096);
    heap_add(8, 8);                         /* zone 4: order 3 */
    heap_add(64, 8);                        /* zone 7: order 3 */
    heap_add(96, 32);                       /* zone 7: order 5 */

    /* Zone 7 before zone 4; in zone 7 the order-3 block, not the 5. */
    pg = alloc_pages(2, 0);
    CHECK(pg && mfn_of(pg) >= 64 && mfn_of(pg) < 72);
    CHECK_EQ(heap_max_free_order(), 5);
    hold(pg, 2);

    pg = alloc_pages(4, 0);                 /* splits the order 5 */
    CHECK(pg && mfn_of(pg) >= 96);
    hold(pg, 4);
    CHECK_EQ(heap_max_free_order(), 4);

    pg = alloc_pages(3, 0);                 /* what is left of zone 7 */
    CHECK(pg && mfn_of(pg) >= 96);
    hold(pg, 3);
    pg = alloc_pages(3, 0);                 /* and again */
    CHECK(pg && mfn_of(pg) >= 96);
    hold(pg, 3);
    pg = alloc_pages(3, 0);                 /* zone 7 has order 2 only */
    CHECK(pg && mfn_of(pg) == 8);
    hold(pg, 3);
    audit();

    free_held_randomly();
    CHECK_EQU(audit(), 3);
}

TEST(fragmentation_then_full_merge_to_max_order)
{
    static struct page_info *v[1UL << MAX_ORDER];
    unsigned long n = ARRAY_SIZE(v), i;

    machine(1UL << 19);
    heap_add(n, n);                         /* zone 19 exactly */
    check_block(n, MAX_ORDER);

    /* Every frame on its own, then back in a random order. */
    for ( i = 0; i < n; i++ )
    {
        v[i] = alloc_domheap_pages(0, MEMF_no_scrub);
        CHECK(v[i]);
    }
    after_call();
    CHECK(!alloc_domheap_pages(0, 0));
    CHECK_EQ(heap_max_free_order(), -1);
    for ( i = 0; i < n; i++ )
        model[n + i] = M_USED;
    model_free = 0;
    audit();

    shuffle(v, n);
    for ( i = 0; i < n; i++ )
    {
        free_domheap_pages(v[i], 0);
        model[mfn_of(v[i])] = M_FREE;
        model_free++;
        if ( i == n / 2 )
        {
            /* Half way: fragmented, yet fully merged. */
            CHECK(heap_max_free_order() < MAX_ORDER);
            audit();
        }
    }
    after_call();

    CHECK_EQU(audit(), 1);
    check_block(n, MAX_ORDER);
    CHECK_EQ(heap_max_free_order(), MAX_ORDER);

    /* And it serves a request of the largest order again. */
    v[0] = alloc_pages(MAX_ORDER, MEMF_no_scrub);
    CHECK(v[0] && mfn_of(v[0]) == n);
    CHECK_EQ(heap_max_free_order(), -1);
    free_pages(v[0], MAX_ORDER);
    CHECK_EQU(audit(), 1);
}

TEST(zones_never_merge)
{
    struct page_info *pg;
    unsigned int z;

    machine(8192);
    heap_add(1, 4095);                      /* zones 1 to 12, whole */
    CHECK_EQU(audit(), 12);
    CHECK_EQ(heap_max_free_order(), 11);

    /* Take all, give all back: the zone blocks re-form, and no more. */
    while ( (pg = alloc_pages(0, 0)) )
        hold(pg, 0);
    free_held_randomly();
    CHECK_EQU(audit(), 12);
    for ( z = 1; z <= 12; z++ )
        check_block(1UL << (z - 1), z - 1);
}

TEST(buddy_outside_the_frame_table_or_in_use_is_not_merged)
{
    /* Buddy past max_page. */
    machine(200);
    heap_add(128, 72);                      /* 128 order 6, 192 order 3 */
    CHECK_EQU(audit(), 2);
    check_block(192, 3);

    /* Buddy in a hole of the frame table. */
    machine(256);
    hole_s = 192;
    hole_e = 256;
    heap_add(128, 64);
    CHECK_EQU(audit(), 1);
    check_block(128, 6);

    /* Buddy in use, with a page_info that looks like a matching head. */
    machine(256);
    page_set_order(&ft[192], 6);
    heap_add(128, 64);
    CHECK_EQU(audit(), 1);
    check_block(128, 6);
    CHECK(page_state_is(&ft[192], inuse));
}

/* ------------------------------------------------------------------------
 * Address limits.
 */

TEST(memf_bits_32_stays_below_4gib)
{
    unsigned long n = 0;
    struct page_info *pg;

    machine(GIB4 + 4096);
    heap_add(GIB4 - 4096, 8192);            /* 16 MiB each side of 4 GiB */

    /* Unrestricted: from above, keeping low memory. */
    pg = alloc_pages(9, 0);
    CHECK(pg && mfn_of(pg) >= GIB4);
    hold(pg, 9);

    while ( (pg = alloc_pages(0, MEMF_bits(32))) )
    {
        CHECK(mfn_of(pg) < GIB4);
        hold(pg, 0);
        n++;
    }
    CHECK_EQU(n, 4096);
    CHECK_EQU(avail_heap_pages_below(32), 0);
    CHECK_EQU(avail_domheap_pages(), 4096 - 512);

    /* 31 bits: nothing there at all. */
    CHECK(!alloc_pages(0, MEMF_bits(31)));
    free_held_randomly();
    CHECK_EQU(audit(), 2);
}

TEST(memf_bits_every_width)
{
    unsigned long blocks;
    unsigned int bits;

    machine(1UL << 16);
    heap_add(256, 65533 - 256);
    blocks = audit();

    /*
     * Narrowest limit first, each taking all there is under it;
     * alloc_pages() checks every block against the limit and that it
     * comes from the highest zone the limit allows.
     */
    for ( bits = PAGE_SHIFT + 1; bits <= PAGE_SHIFT + 17; bits++ )
    {
        unsigned long limit = 1UL << (bits - PAGE_SHIFT), end = 65533;
        struct page_info *pg;
        int order;

        for ( order = 3; order >= 0; order-- )
            while ( (pg = alloc_pages(order, MEMF_bits(bits))) )
                hold(pg, order);
        CHECK_EQU(avail_heap_pages_below(bits), 0);
        /* And nothing above the limit was touched. */
        CHECK_EQU(avail_domheap_pages(),
                  limit >= end ? 0 : end - max(limit, 256UL));
    }
    CHECK_EQU(avail_domheap_pages(), 0);
    free_held_randomly();
    CHECK_EQU(audit(), blocks);
}

TEST(memory_below_1mib_is_never_there)
{
    struct page_info *pg;

    machine(4096);
    heap_add(256, 3840);                    /* as at boot: not the first MiB */
    CHECK(!alloc_pages(0, MEMF_bits(20)));
    CHECK_EQU(printk_calls(), 0);           /* a valid request, unmet */
    pg = alloc_pages(0, MEMF_bits(21));
    CHECK(pg && mfn_of(pg) >= 256 && mfn_of(pg) < 512);
    free_pages(pg, 0);
    audit();
}

TEST(bad_requests_fail)
{
    static const unsigned int bits[] = { 1, 5, PAGE_SHIFT };
    unsigned int i;

    machine(1UL << 20);
    heap_add(256, (1UL << 20) - 256);

    CHECK(!alloc_pages(MAX_ORDER + 1, 0));
    CHECK(!alloc_pages(~0U, 0));
    if ( DEBUG_BUILD )
    {
        CHECK_EQU(printk_count("<1>heap: bad request"), 2);
        CHECK_EQU(printk_count("order 19 "), 1);
        CHECK_EQU(printk_count("order 4294967295 "), 1);
    }
    else
        CHECK_EQU(printk_calls(), 0);

    for ( i = 0; i < ARRAY_SIZE(bits); i++ )
    {
        char want[64];

        printk_clear();
        CHECK(!alloc_pages(0, MEMF_bits(bits[i])));
        snprintf(want, sizeof(want), "MEMF_bits(%u)", bits[i]);
        CHECK_EQU(printk_count(want), DEBUG_BUILD);
    }
    CHECK_EQU(audit(), 13);
    CHECK(alloc_pages(MAX_ORDER, MEMF_no_scrub));
}

/* ------------------------------------------------------------------------
 * Scrubbing.
 */

TEST(fresh_pages_are_zeroed_unless_no_scrub)
{
    struct page_info *pg;
    unsigned long i;

    machine(4096);
    for ( i = 1024; i < 2048; i++ )
        memset(frame(i), 0x5a, PAGE);
    heap_add(1024, 1024);

    pg = alloc_pages(3, 0);                 /* alloc_pages() checks zero */
    for ( i = 1; i < 7; i++ )               /* and tags the first, last */
        CHECK(page_is(mfn_of(pg) + i, 0));
    CHECK_EQU(maps_total, 8);

    /* Never freed, no scrub asked: untouched, and never even mapped. */
    maps_total = 0;
    pg = alloc_pages(3, MEMF_no_scrub);
    CHECK(page_is(mfn_of(pg) + 1, 0x5a));
    CHECK_EQU(maps_total, 0);
}

TEST(freed_pages_are_scrubbed_and_come_back_zeroed)
{
    struct page_info *pg;
    unsigned long mfn, i;

    machine(4096);
    heap_add(1024, 16);
    pg = alloc_pages(4, 0);
    mfn = mfn_of(pg);
    for ( i = 0; i < 16; i++ )
        memset(frame(mfn + i), 0x77, PAGE);
    memcpy(frame(mfn) + 8, &(uint64_t){ tag_of(mfn) }, 8);
    memcpy(frame(mfn + 15) + 8, &(uint64_t){ tag_of(mfn + 15) }, 8);
    free_pages(pg, 4);                      /* checks the ends */
    for ( i = 0; i < 16; i++ )
    {
        CHECK(page_is(mfn + i, DEBUG_BUILD ? POISON : 0));
        CHECK(!!(ft[mfn + i].count_info & PGC_poisoned) == DEBUG_BUILD);
    }

    /* no_scrub gets the scrubbed contents as they are... */
    pg = alloc_pages(2, MEMF_no_scrub);
    CHECK(page_is(mfn_of(pg) + 2, DEBUG_BUILD ? POISON : 0));
    CHECK_EQU(ft[mfn_of(pg) + 2].count_info, PGC_state_inuse);
    /* ...and anyone else zeroes, poison or not. */
    pg = alloc_pages(2, 0);
    CHECK(page_is(mfn_of(pg) + 2, 0));
    CHECK_EQU(ft[mfn_of(pg) + 2].count_info, PGC_state_inuse);
}

static unsigned long victim;
static unsigned int victim_flags;

static void write_after_free(void)
{
    struct page_info *pg = alloc_domheap_page(0);

    victim = mfn_of(pg);
    free_domheap_page(pg);
    frame(victim)[0x123] = 0x11;
    /* The only free page: it must come back, and the write be seen. */
    alloc_domheap_page(victim_flags);
}

TEST(write_after_free_is_caught)
{
    char want[80];

    machine(4096);
    heap_add(3000, 1);
    victim = 3000;
    snprintf(want, sizeof(want), "freed page %#lx was written", victim);
    if ( !DEBUG_BUILD )
    {
        /* Release builds do not look: the page is simply zeroed again. */
        struct page_info *pg = alloc_pages(0, 0);

        free_pages(pg, 0);
        frame(3000)[0x123] = 0x11;
        pg = alloc_pages(0, 0);
        CHECK_EQU(frame(3000)[0x123], 0);    /* alloc_pages() checked all */
        return;
    }

    victim_flags = 0;
    expect_bug(write_after_free, want, "offset 0x123", "BUG at", NULL);
    /* no_scrub skips the zeroing, not the check. */
    victim_flags = MEMF_no_scrub;
    expect_bug(write_after_free, want, "offset 0x123", "BUG at", NULL);
    /* The parent's heap is untouched by the children. */
    audit();
}

/* ------------------------------------------------------------------------
 * Frees that must BUG.
 */

static struct page_info *victim_pg;

static void double_free(void)
{
    free_domheap_pages(victim_pg, 0);
    free_domheap_pages(victim_pg, 0);
}

static void misaligned_free(void)
{
    free_domheap_pages(victim_pg + 2, 2);
}

static void oversized_free(void)
{
    free_domheap_pages(victim_pg, MAX_ORDER + 1);
}

static void xenheap_page_free(void)
{
    victim_pg[1].count_info |= PGC_xen_heap;
    free_domheap_pages(victim_pg, 3);
}

static void pagetable_page_free(void)
{
    victim_pg->count_info |= PGC_pagetable;
    free_domheap_pages(victim_pg, 3);
}

static void referenced_page_free(void)
{
    victim_pg[0].count_info += 1;
    free_domheap_pages(victim_pg, 3);
}

static void typed_page_free(void)
{
    victim_pg[0].type_info = PGT_writable_page | 1;
    free_domheap_pages(victim_pg, 3);
}

static void free_of_free_page(void)
{
    free_domheap_pages(&ft[1536], 0);
}

static void free_past_the_end(void)
{
    free_domheap_pages(&ft[max_page], 0);
}

static void free_into_a_hole(void)
{
    hole_s = 1028;
    hole_e = 1032;
    free_domheap_pages(victim_pg, 3);
}

static void partly_free_block_free(void)
{
    free_domheap_pages(victim_pg + 4, 2);
    free_domheap_pages(victim_pg, 3);
}

TEST(bad_frees_bug)
{
    machine(4096);
    heap_add(1024, 1024);
    victim_pg = alloc_pages(3, 0);
    CHECK(victim_pg);

    expect_bug(double_free, "not in use", "BUG at", NULL);
    expect_bug(misaligned_free, "misaligned", "BUG at", NULL);
    expect_bug(oversized_free, "order too large", "BUG at", NULL);
    expect_bug(free_of_free_page, "not in use", "BUG at", NULL);
    expect_bug(free_past_the_end, "not a RAM frame", "BUG at", NULL);
    expect_bug(free_into_a_hole, "not a RAM frame", "BUG at", NULL);
    if ( DEBUG_BUILD )
    {
        /* Whole-block checks are the debug build's. */
        expect_bug(xenheap_page_free, "still a xenheap", "BUG at", NULL);
        expect_bug(partly_free_block_free, "a page of the block is not in use",
                   "BUG at", NULL);
    }
    expect_bug(pagetable_page_free, "still a xenheap or page-table page",
               "BUG at", NULL);
    expect_bug(referenced_page_free, "still referenced", "BUG at", NULL);
    expect_bug(typed_page_free, "still referenced",
               "type_info 0xe000000000000001", "BUG at", NULL);

    /* None of it reached the parent. */
    audit();
    free_pages(victim_pg, 3);
    CHECK_EQU(audit(), 1);
}

/* ------------------------------------------------------------------------
 * Everything at once.
 */

TEST(random_alloc_free_keeps_exact_accounting)
{
    static struct {
        struct page_info *pg;
        unsigned int order;
    } slot[512];
    unsigned long op, blocks;
    unsigned int i;

    machine(1UL << 17);
    heap_add(3, 697);
    heap_add(1000, 4000);
    hole_s = 5000;
    hole_e = 8192;                          /* a hole in the frame table */
    heap_add(8192, 31808);
    heap_add(65536 - 100, 3100);            /* across zones 16 and 17 */
    heap_add(100000, 1);
    blocks = audit();

    for ( op = 0; op < 20000; op++ )
    {
        i = rng(ARRAY_SIZE(slot));
        if ( slot[i].pg )
        {
            free_pages(slot[i].pg, slot[i].order);
            slot[i].pg = NULL;
        }
        else
        {
            /* Mostly small, sometimes large; sometimes limited. */
            unsigned int order = rng(8) ? rng(4) : rng(12);
            unsigned int flags = rng(4) ? 0
                                 : MEMF_bits(PAGE_SHIFT + 2 + rng(16));

            if ( rng(3) == 0 )
                flags |= MEMF_no_scrub;
            slot[i].pg = alloc_pages(order, flags);
            slot[i].order = order;
        }
        if ( op % 1000 == 0 )
            audit();
    }
    audit();

    for ( i = 0; i < ARRAY_SIZE(slot); i++ )
        if ( slot[i].pg )
            free_pages(slot[i].pg, slot[i].order);
    CHECK_EQU(audit(), blocks);
    CHECK(irq_saves > 20000);
}
