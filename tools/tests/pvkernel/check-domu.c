/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a domU may not do: map frames that are not its own (dom0's, the
 * hypervisor's, non-RAM) by any path, name another domain in mmu_update
 * or mmuext_op, reach the machine's memory map, the platform, the
 * console's input or another domain's reservation, touch I/O ports
 * whatever IOPL it sets, or make its console ring a page table. As dom0
 * these checks are skipped: dom0 is allowed most of it, and its own
 * checks elsewhere say so.
 */
#include "pvkernel.h"

#define PTE_RW  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                 _PAGE_DIRTY)
#define PTE_RO  (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

#define MAX_FOREIGN 3

static void need_domu(void)
{
    if ( is_dom0() )
        check_skip("needs a domU");
}

static bool own_mfn(unsigned long mfn)
{
    return mfn < (m2p_end - m2p_start) / sizeof(*m2p) &&
           m2p[mfn] < start_info->nr_pages && p2m[m2p[mfn]] == mfn;
}

/*
 * Frames that are not ours: machine frame 0 (firmware's), and those
 * just below and above our own, which the builder gave to dom0 or left
 * to the hypervisor (dom0 is built first and takes most of the heap) or
 * which are past the end of RAM.
 */
static unsigned int foreign_mfns(unsigned long *out)
{
    unsigned long lo = ~0UL, hi = 0, cand[MAX_FOREIGN];
    unsigned int n = 0;

    for ( unsigned long pfn = 0; pfn < start_info->nr_pages; pfn++ )
    {
        if ( p2m[pfn] < lo )
            lo = p2m[pfn];
        if ( p2m[pfn] > hi )
            hi = p2m[pfn];
    }
    cand[0] = 0;
    cand[1] = lo - 1;
    cand[2] = hi + 1;
    for ( unsigned int i = 0; i < MAX_FOREIGN; i++ )
        if ( !own_mfn(cand[i]) )
            out[n++] = cand[i];
    return n;
}

PVTEST(domu_map_foreign_frames_refused)
{
    unsigned long a = scratch_page(), mfns[MAX_FOREIGN];
    unsigned int n;
    uint64_t orig;

    need_domu();
    orig = read_pte(a, 1);
    n = foreign_mfns(mfns);
    expect(n >= 2, "only %u frames found that are not ours", n);
    for ( unsigned int i = 0; i < n; i++ )
    {
        uint64_t ro = (mfns[i] << PAGE_SHIFT) | PTE_RO;
        uint64_t rw = (mfns[i] << PAGE_SHIFT) | PTE_RW;
        long rc;

        rc = HYPERVISOR_update_va_mapping(a, ro, UVMF_INVLPG);
        expect(rc < 0, "update_va_mapping of mfn %#lx read-only: %ld",
               mfns[i], rc);
        rc = HYPERVISOR_update_va_mapping(a, rw, UVMF_INVLPG);
        expect(rc < 0, "update_va_mapping of mfn %#lx writable: %ld",
               mfns[i], rc);
        rc = set_pte(pte_maddr(a, 1), ro);
        expect(rc < 0, "mmu_update mapping mfn %#lx: %ld", mfns[i], rc);
    }
    EXPECT_EQ(read_pte(a, 1), orig);
}

PVTEST(domu_foreign_domain_refused)
{
    unsigned long a = scratch_page();
    struct mmu_update u = {
        .ptr = pte_maddr(a, 1) | MMU_NORMAL_PT_UPDATE,
        .val = read_pte(a, 1),
    };
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };

    need_domu();
    /* dom0's tables and frames are not ours to name (Xen's XSM default). */
    EXPECT_ERR(HYPERVISOR_mmu_update(&u, 1, NULL, 0), EPERM);
    EXPECT_ERR(HYPERVISOR_mmuext_op(&op, 1, NULL, 0), EPERM);
    /* A domain that does not exist. */
    EXPECT_ERR(HYPERVISOR_mmu_update(&u, 1, NULL, 1000), ESRCH);
    EXPECT_ERR(HYPERVISOR_mmuext_op(&op, 1, NULL, 1000), ESRCH);
    /* Ourselves by id is DOMID_SELF. */
    EXPECT_OK(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
}

/*
 * A PTE written straight into our own L1 (writable page tables) that maps
 * a frame not ours: not emulated, bounced as the #PF of the write.
 */
PVTEST(domu_ptwr_foreign_frame_bounced)
{
    unsigned long a = scratch_page(), mfns[MAX_FOREIGN];
    uint64_t ma = pte_maddr(a, 1);
    volatile uint64_t *pte = (volatile uint64_t *)
        (mfn_to_va(ma >> PAGE_SHIFT) + (ma & (PAGE_SIZE - 1)));
    uint64_t orig = *pte;
    unsigned int n;

    need_domu();
    n = foreign_mfns(mfns);
    /* volatile: the loop goes on after each trap's longjmp. */
    for ( volatile unsigned int i = 0; i < n; i++ )
    {
        if ( !pv_setjmp(trap_catch()) )
        {
            *pte = (mfns[i] << PAGE_SHIFT) | PTE_RO;
            trap_catch_end();
            fail("PTE mapping mfn %#lx written", mfns[i]);
            break;
        }
        EXPECT_EQ(caught.vector, 14);
        EXPECT_EQ(caught.cr2, (unsigned long)pte);
        EXPECT_EQ(*pte, orig);
    }
}

PVTEST(domu_privileged_calls_refused)
{
    static struct xen_e820_entry e[8];
    struct xen_memory_map map = { .nr_entries = 8 };
    struct xen_platform_op op = {
        .cmd = XENPF_settime64,
        .interface_version = XENPF_INTERFACE_VERSION,
    };
    domid_t dom0 = 0;
    char c;

    need_domu();
    set_xen_guest_handle(map.buffer, e);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map), EPERM);
    EXPECT_ERR(HYPERVISOR_platform_op(&op), EPERM);
    /* Serial input is dom0's. */
    EXPECT_ERR(HYPERVISOR_console_io(CONSOLEIO_read, 1, &c), EPERM);
    /* dom0's memory is none of our business; our own is. */
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_current_reservation, &dom0), EPERM);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_maximum_reservation, &dom0), EPERM);
    EXPECT_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){
              DOMID_SELF }), start_info->nr_pages);
}

/*
 * Under IOPL 0 every port faults; with the IOPL for it (Xen's virtual
 * IOPL) the instruction completes but reaches no hardware: reads give
 * all ones and writes go nowhere. PCI's address latch shows the write
 * went nowhere: hardware would read back what was written.
 */
PVTEST(domu_io_ports_refused)
{
    struct physdev_set_iopl io = { .iopl = 3 };
    static const uint16_t ports[] = { 0x71, 0x80, 0xcf8, 0x3f8 };
    volatile uint8_t v;

    need_domu();
    for ( volatile unsigned int i = 0; i < sizeof(ports) / sizeof(ports[0]);
          i++ )
    {
        if ( !pv_setjmp(trap_catch()) )
        {
            v = inb(ports[i]);
            trap_catch_end();
            fail("inb(%#x) under IOPL 0 gave %#x, expected #GP", ports[i],
                 v);
        }
        else
            EXPECT_EQ(caught.vector, 13);
        if ( !pv_setjmp(trap_catch()) )
        {
            outb(ports[i], 0);
            trap_catch_end();
            fail("outb(%#x) under IOPL 0 passed, expected #GP", ports[i]);
        }
        else
            EXPECT_EQ(caught.vector, 13);
    }

    EXPECT_OK(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io));
    for ( volatile unsigned int i = 0; i < sizeof(ports) / sizeof(ports[0]);
          i++ )
    {
        if ( !pv_setjmp(trap_catch()) )
        {
            outb(ports[i], 0);
            v = inb(ports[i]);
            trap_catch_end();
            EXPECT_EQ(v, 0xff);
        }
        else
            fail("port %#x under IOPL 3: trap %lu", ports[i], (unsigned long)caught.vector);
    }
    if ( !pv_setjmp(trap_catch()) )
    {
        uint32_t latch;

        outl(0xcf8, 0x80000000U);
        latch = inl(0xcf8);
        trap_catch_end();
        EXPECT_EQ(latch, 0xffffffffU);
    }
    else
        fail("PCI address port under IOPL 3: trap %lu", (unsigned long)caught.vector);
    io.iopl = 0;
    EXPECT_OK(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io));
}

/*
 * The console ring is written by the hypervisor (out_cons, from the
 * guest's own out_prod): it must stay an ordinary writable frame. With
 * no writable mapping of it left, pinning it as an L1 is refused still:
 * the hypervisor's own reference keeps its type. (A zeroed frame is a
 * valid empty L1: nothing else would refuse it.)
 */
PVTEST(domu_console_ring_never_a_page_table)
{
    unsigned long mfn = start_info->console.domU.mfn, va;
    long rc;

    need_domu();
    if ( !start_info->console.domU.evtchn )
        check_skip("no console ring");
    va = mfn_to_va(mfn);
    memset((void *)va, 0, PAGE_SIZE);
    EXPECT_OK(remap_ro(va));
    rc = mmuext(MMUEXT_PIN_L1_TABLE, mfn);
    expect(rc < 0, "the console ring was pinned as an L1 (rc %ld)", rc);
    if ( !rc )
        EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, mfn));
    EXPECT_OK(remap_rw(va));
}
