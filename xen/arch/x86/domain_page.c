/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-CPU mapcache: map_domain_page() without a direct map.
 *
 * CPU n owns MAPCACHE_SLOTS consecutive 4 KiB pages of virtual space at
 * MAPCACHE_VIRT_START + n * MAPCACHE_SLOTS pages, in the hypervisor's
 * shared address space. A slot is taken from a per-CPU bitmap with
 * interrupts off for the few instructions that find and claim it (an
 * interrupt handler on this CPU may map too), then its PTE is written.
 * An unmap clears the PTE, invalidates this CPU's TLB entry and releases
 * the slot. Nothing is shared with other CPUs, so there is no lock and
 * no shootdown: another CPU never uses this window's addresses, and a
 * slot's stale translation is flushed before the slot is handed out again.
 *
 * Windows are 32 slots, so the L1 table page behind the window region
 * holds the PTEs of 16 CPUs; each CPU writes only its own entries. The
 * first L1 page (CPUs 0-15) is in the image, so the boot CPU's window
 * works before any allocator does, and page tables can be built through
 * it from the start. The L1 pages of later groups come from the domheap
 * as the first CPU of a group is brought up, and get a permanent global
 * mapping (map_domain_page_global()): a CPU's window must be reachable
 * without going through that same window.
 */
#include <asm/atomic.h>
#include <asm/config.h>
#include <asm/page.h>
#include <asm/pg2virt.h>
#include <asm/smp.h>
#include <asm/system.h>
#include <asm/mm.h>
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/vmap.h>
#include <xen/lib.h>

#define WINDOWS_PER_L1 (PAGETABLE_ENTRIES / MAPCACHE_SLOTS)

struct mapcache_window {
    uint32_t inuse;          /* bit n: slot n mapped; this CPU only */
    unsigned long unmaps;    /* ever, each counted before its bit clears */
    pgentry_t *l1;           /* this window's MAPCACHE_SLOTS PTEs */
    unsigned long va;        /* address of slot 0 */
#ifdef CONFIG_DEBUG
    const void *holder[MAPCACHE_SLOTS]; /* who mapped each slot */
    unsigned long exits_checked; /* returns to a guest with no slot held */
#endif
} __aligned(64); /* a CPU's hot state shares no cache line with another's */

static struct mapcache_window windows[CONFIG_NR_CPUS];

/* PTEs of the windows of CPUs 0-15, hooked in by mapcache_init(). */
static pgentry_t l1_mapcache_first[PAGETABLE_ENTRIES]
    __aligned(PAGE_SIZE) __section(".bss.page_aligned");

extern pgentry_t l2_bootmap[PAGETABLE_ENTRIES]; /* head.S */

BUILD_BUG_ON(MAPCACHE_SLOTS != 32); /* inuse is a uint32_t */
BUILD_BUG_ON(MAPCACHE_VIRT_START +
             CONFIG_NR_CPUS * MAPCACHE_SLOTS * PAGE_SIZE > MAPCACHE_VIRT_END);

static unsigned long window_va(unsigned int cpu)
{
    return MAPCACHE_VIRT_START + (unsigned long)cpu * MAPCACHE_SLOTS * PAGE_SIZE;
}

void mapcache_init(void)
{
    unsigned int cpu;

    BUILD_BUG_ON(l3_table_offset(MAPCACHE_VIRT_START) !=
                 l3_table_offset(BOOTMAP_VIRT_START));

    /* The mapcache shares the bootmap window's L2 table (head.S). */
    l2_bootmap[l2_table_offset(MAPCACHE_VIRT_START)] =
        __pa_image(l1_mapcache_first) | _PAGE_PRESENT | _PAGE_RW |
        _PAGE_ACCESSED;

    for ( cpu = 0; cpu < WINDOWS_PER_L1 && cpu < CONFIG_NR_CPUS; cpu++ )
    {
        windows[cpu].l1 = &l1_mapcache_first[cpu * MAPCACHE_SLOTS];
        windows[cpu].va = window_va(cpu);
    }
}

int mapcache_cpu_init(unsigned int cpu)
{
    unsigned int group = cpu / WINDOWS_PER_L1, i;
    unsigned long va = window_va(group * WINDOWS_PER_L1);
    pgentry_t *l1;
    mfn_t mfn;

    ASSERT(cpu < CONFIG_NR_CPUS);
    if ( windows[cpu].l1 )
        return 0;

    mfn = alloc_xen_pagetable_page();
    if ( mfn_eq(mfn, INVALID_MFN) )
        return -ENOMEM;
    l1 = map_domain_page_global(mfn);
    if ( !l1 )
        return -ENOMEM; /* the table page stays counted; boot fails anyway */

    for ( i = 0; i < WINDOWS_PER_L1; i++ )
    {
        unsigned int c = group * WINDOWS_PER_L1 + i;

        if ( c >= CONFIG_NR_CPUS )
            break;
        windows[c].l1 = &l1[i * MAPCACHE_SLOTS];
        windows[c].va = window_va(c);
    }
    /* Publish the L1 only once the windows know where their PTEs are. */
    barrier();
    l2_bootmap[l2_table_offset(va)] = mfn_to_maddr(mfn) | _PAGE_PRESENT |
                                      _PAGE_RW | _PAGE_ACCESSED;

    return 0;
}

static void print_holders(const struct mapcache_window *w)
{
#ifdef CONFIG_DEBUG
    unsigned int i;

    for ( i = 0; i < MAPCACHE_SLOTS; i++ )
        if ( w->inuse & (1U << i) )
            printk(XENLOG_ERR "mapcache slot %u held by %pS\n", i,
                   w->holder[i]);
#endif
}

static void __noreturn mapcache_exhausted(const struct mapcache_window *w)
{
    print_holders(w);
    panic("mapcache: all %u slots of CPU%u in use", MAPCACHE_SLOTS,
          smp_processor_id());
}

void *map_domain_page(mfn_t mfn)
{
    struct mapcache_window *w = &windows[smp_processor_id()];
    unsigned int slot;
    bool taken;

    if ( mfn_in_directmap(mfn) )
        return (void *)(DIRECTMAP_VIRT_START + mfn_to_maddr(mfn));
    if ( unlikely(!w->l1) )
        panic("map_domain_page(%#lx) before mapcache_init()", mfn_x(mfn));

    /*
     * Only this CPU changes inuse, but its interrupts may map too: the
     * claim is one bts, which no interrupt can split, and a slot an
     * interrupt took between the look and the claim is seen taken.
     */
    do {
        uint32_t inuse = read_atomic(&w->inuse);

        if ( unlikely(inuse == ~0U) )
            mapcache_exhausted(w);
        slot = __builtin_ctz(~inuse);
        asm volatile ( "btsl %2, %0"
                       : "+m" (w->inuse), "=@ccc" (taken)
                       : "r" (slot)
                       : "memory" );
    } while ( unlikely(taken) );

#ifdef CONFIG_DEBUG
    w->holder[slot] = __builtin_return_address(0);
#endif
    /* The slot's old translation was flushed when it was unmapped. */
    w->l1[slot] = mfn_to_maddr(mfn) | pte_flags(PAGE_HYPERVISOR_RW);

    return (void *)(w->va + ((unsigned long)slot << PAGE_SHIFT));
}

void unmap_domain_page(const void *ptr)
{
    struct mapcache_window *w = &windows[smp_processor_id()];
    unsigned long va = (unsigned long)ptr;
    unsigned int slot = (va - w->va) >> PAGE_SHIFT;

    if ( !ptr || va_in_directmap(va) )
        return;
    /*
     * Outside this CPU's window the PTE write below would land in someone
     * else's entries (or anywhere): a BUG in every build, not an ASSERT.
     */
    BUG_ON(va < w->va || slot >= MAPCACHE_SLOTS);
    ASSERT(w->inuse & (1U << slot));

    w->l1[slot] = 0;
    invlpg((void *)(va & PAGE_MASK));
    /*
     * Seen by any CPU that sees the bit clear (stores stay in order);
     * one instruction, as an interrupt's own unmap may come between.
     */
    asm volatile ( "incq %0" : "+m" (w->unmaps) :: "memory" );

    /* One instruction: no interrupt of this CPU sees it half done. */
    asm volatile ( "btrl %1, %0" : "+m" (w->inuse) : "r" (slot) : "memory" );
}

mfn_t domain_page_map_to_mfn(const void *ptr)
{
    const struct mapcache_window *w = &windows[smp_processor_id()];
    unsigned long va = (unsigned long)ptr;
    unsigned int slot = (va - w->va) >> PAGE_SHIFT;

    if ( va_in_directmap(va) )
        return maddr_to_mfn(va - DIRECTMAP_VIRT_START);
    ASSERT(va >= w->va && slot < MAPCACHE_SLOTS);
    return maddr_to_mfn(w->l1[slot] & PTE_ADDR_MASK);
}

#ifdef CONFIG_DEBUG
void mapcache_check_exit(void)
{
    struct mapcache_window *w = &windows[smp_processor_id()];

    if ( unlikely(w->inuse) )
    {
        print_holders(w);
        panic("mapcache: CPU%u returns to a guest with slots %#x held",
              smp_processor_id(), w->inuse);
    }
    w->exits_checked++;
}

unsigned long mapcache_exits_checked(void)
{
    unsigned long n = 0;
    unsigned int cpu;

    for ( cpu = 0; cpu < CONFIG_NR_CPUS; cpu++ )
        n += read_atomic(&windows[cpu].exits_checked);
    return n;
}
#endif

unsigned int mapcache_slots_in_use(void)
{
    return hweight32(windows[smp_processor_id()].inuse);
}

unsigned long mapcache_va_unmaps(unsigned long va)
{
    unsigned long cpu = (va - MAPCACHE_VIRT_START) >> PAGE_SHIFT;

    cpu /= MAPCACHE_SLOTS;
    if ( va < MAPCACHE_VIRT_START || cpu >= CONFIG_NR_CPUS )
        return 0;

    return read_atomic(&windows[cpu].unmaps);
}

bool mapcache_va_in_use(unsigned long va)
{
    unsigned long page = (va - MAPCACHE_VIRT_START) >> PAGE_SHIFT;
    unsigned long cpu = page / MAPCACHE_SLOTS;

    if ( va < MAPCACHE_VIRT_START || cpu >= CONFIG_NR_CPUS )
        return false;

    /* Another CPU's bitmap, read without its consent: a snapshot. */
    return *(const volatile uint32_t *)&windows[cpu].inuse &
           (1U << (page % MAPCACHE_SLOTS));
}
