/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page tables and memory: update_va_mapping, mmu_update, the mmuext_op
 * pin/unpin/baseptr/flush commands, the type rules (a writable frame is
 * no page table, a page table takes no writable mapping), the
 * hypervisor's L4 slots, bad guest pointers, and memory_op's queries.
 */
#include "pvkernel.h"

#define PTE_RW  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                 _PAGE_DIRTY)
#define PTE_RO  (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

/* A VA in the kernel's L2 with no L1 under it, far past the padding. */
static unsigned long free_l2_slot_va(void)
{
    /* Same 1 GiB as the kernel: the last 2 MiB slot of its L2. */
    return ((KERNEL_VIRT_BASE + 0x1000) & ~((1UL << 30) - 1)) +
           (1UL << 30) - (1UL << 21);
}

PVTEST(update_va_mapping_own_frame)
{
    unsigned long a = scratch_page(), b = scratch_page();
    volatile unsigned long *pa = (void *)a, *pb = (void *)b;

    *pa = 0x5151;
    *pb = 0x6262;
    /* Map a's frame at b's VA too: b now reads a's contents. */
    EXPECT_OK(HYPERVISOR_update_va_mapping(b, (va_to_mfn(a) << PAGE_SHIFT) |
                                           PTE_RW, UVMF_INVLPG));
    EXPECT_EQ(*pb, 0x5151);
    *pb = 0x7373;
    EXPECT_EQ(*pa, 0x7373);
    EXPECT_OK(remap_rw(b));
    EXPECT_EQ(*pb, 0x6262);
}

PVTEST(update_va_mapping_refused)
{
    unsigned long a = scratch_page();
    static xen_pfn_t m2p_mfn;
    struct xen_machphys_mfn_list l = { .max_extents = 1 };

    /*
     * A frame we do not own, writable: an M2P frame belongs to the
     * hypervisor. (dom0 may map non-RAM frames such as mfn 1: Xen
     * treats them as I/O memory, so those are no test.)
     */
    set_xen_guest_handle(l.extent_start, &m2p_mfn);
    EXPECT_OK(HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l));
    expect(HYPERVISOR_update_va_mapping(a, (m2p_mfn << PAGE_SHIFT) | PTE_RW,
                                        UVMF_INVLPG) < 0,
           "writable mapping of M2P frame %#lx accepted", m2p_mfn);
    /* A VA in the hypervisor's range. */
    EXPECT_ERR(HYPERVISOR_update_va_mapping(0xffff830000000000UL,
                                            (va_to_mfn(a) << PAGE_SHIFT) |
                                            PTE_RW, UVMF_INVLPG), EINVAL);
    /* A VA with no L1 table under it. */
    EXPECT_ERR(HYPERVISOR_update_va_mapping(free_l2_slot_va(),
                                            (va_to_mfn(a) << PAGE_SHIFT) |
                                            PTE_RW, UVMF_INVLPG), EINVAL);
}

PVTEST(pin_refused_while_writable)
{
    unsigned long a = scratch_page();

    for ( unsigned int cmd = MMUEXT_PIN_L1_TABLE; cmd <= MMUEXT_PIN_L4_TABLE;
          cmd++ )
        expect(mmuext(cmd, va_to_mfn(a)) < 0,
               "pin cmd %u of a writable frame succeeded", cmd);
}

PVTEST(pinned_table_refuses_writable_mapping)
{
    unsigned long a = scratch_page();

    EXPECT_OK(remap_ro(a));
    EXPECT_OK(mmuext(MMUEXT_PIN_L1_TABLE, va_to_mfn(a)));
    expect(remap_rw(a) < 0, "writable mapping of a pinned L1 accepted");
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(a)));
    EXPECT_OK(remap_rw(a));
    /* Unpinned twice: nothing to unpin. */
    EXPECT_ERR(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(a)), EINVAL);
}

/*
 * L1 life cycle: build an L1 mapping one frame, pin it, hook it into a
 * free slot of the kernel's L2, use the mapping, unhook, unpin, reuse the
 * frame as plain memory.
 */
PVTEST(l1_life_cycle)
{
    unsigned long l1 = scratch_page(), data = scratch_page();
    unsigned long va = free_l2_slot_va();
    uint64_t l2e = pte_maddr(va, 2);
    uint64_t *t = (uint64_t *)l1;

    expect(l2e && !read_pte(va, 2), "L2 slot for %#lx not free", va);
    if ( !l2e )
        return;
    *(volatile unsigned long *)data = 0xabcdef;
    t[5] = (va_to_mfn(data) << PAGE_SHIFT) | PTE_RW;
    EXPECT_OK(remap_ro(l1));
    EXPECT_OK(mmuext(MMUEXT_PIN_L1_TABLE, va_to_mfn(l1)));
    EXPECT_OK(set_pte(l2e, (va_to_mfn(l1) << PAGE_SHIFT) | PTE_RW));
    EXPECT_EQ(*(volatile unsigned long *)(va + 5 * PAGE_SIZE), 0xabcdef);
    /* update_va_mapping now works there too. */
    EXPECT_OK(HYPERVISOR_update_va_mapping(va + 6 * PAGE_SIZE,
                                           (va_to_mfn(data) << PAGE_SHIFT) |
                                           PTE_RO, UVMF_INVLPG));
    EXPECT_EQ(*(volatile unsigned long *)(va + 6 * PAGE_SIZE), 0xabcdef);
    EXPECT_OK(mmuext(MMUEXT_INVLPG_LOCAL, va + 5 * PAGE_SIZE));
    EXPECT_OK(mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0));
    EXPECT_OK(set_pte(l2e, 0));
    EXPECT_OK(mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0));
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(l1)));
    EXPECT_OK(remap_rw(l1));
    t[0] = 1;
    EXPECT_EQ(t[0], 1);
}

/*
 * L4 life cycle: a copy of the running L4 (guest slots; Xen fills its
 * own), pinned, switched to, switched back, unpinned, freed.
 */
PVTEST(l4_life_cycle)
{
    unsigned long l4 = scratch_page();
    unsigned long cur = va_to_mfn(start_info->pt_base);
    const uint64_t *old = (const uint64_t *)start_info->pt_base;
    volatile unsigned long probe = 0x4444;

    for ( unsigned int i = 0; i < 512; i++ )
        if ( i < 256 || i >= 272 )
            ((uint64_t *)l4)[i] = old[i];
    EXPECT_OK(remap_ro(l4));
    EXPECT_OK(mmuext(MMUEXT_PIN_L4_TABLE, va_to_mfn(l4)));
    EXPECT_OK(mmuext(MMUEXT_NEW_BASEPTR, va_to_mfn(l4)));
    EXPECT_EQ(probe, 0x4444);
    EXPECT_OK(mmuext(MMUEXT_NEW_BASEPTR, cur));
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(l4)));
    EXPECT_OK(remap_rw(l4));
}

/* An L3 copy hooked into a free L4 slot: the kernel seen at an alias. */
PVTEST(l3_life_cycle)
{
    unsigned long l3 = scratch_page();
    unsigned long kva = (unsigned long)&start_info;
    uint64_t l4e_kernel = read_pte(kva, 4);
    const uint64_t *old = (const uint64_t *)
        mfn_to_va((l4e_kernel & PTE_MFN_MASK) >> PAGE_SHIFT);
    /* A free slot in the kernel's half of the address space. */
    bool high = KERNEL_VIRT_BASE >= (1UL << 47);
    unsigned int slot = high ? 300 : 200;
    unsigned long alias = (high ? 0xffffUL << 48 : 0) |
                          ((unsigned long)slot << 39) |
                          (kva & ((1UL << 39) - 1));
    uint64_t l4e = (va_to_mfn(start_info->pt_base) << PAGE_SHIFT) + slot * 8;

    expect(!((uint64_t *)start_info->pt_base)[slot], "L4 slot %u in use", slot);
    memcpy((void *)l3, old, PAGE_SIZE);
    EXPECT_OK(remap_ro(l3));
    EXPECT_OK(mmuext(MMUEXT_PIN_L3_TABLE, va_to_mfn(l3)));
    EXPECT_OK(set_pte(l4e, (va_to_mfn(l3) << PAGE_SHIFT) | PTE_RW));
    EXPECT_EQ(*(volatile unsigned long *)alias, (unsigned long)start_info);
    EXPECT_OK(set_pte(l4e, 0));
    EXPECT_OK(mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0));
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(l3)));
    EXPECT_OK(remap_rw(l3));
}

PVTEST(hypervisor_l4_slots_refused)
{
    uint64_t l4 = va_to_mfn(start_info->pt_base) << PAGE_SHIFT;
    unsigned long a = scratch_page();

    EXPECT_OK(remap_ro(a));
    for ( unsigned int slot = 256; slot < 272; slot += 5 )
        expect(set_pte(l4 + slot * 8, (va_to_mfn(a) << PAGE_SHIFT) |
                       _PAGE_PRESENT) < 0,
               "write to hypervisor L4 slot %u accepted", slot);
    /* A direct write to the read-only L4 faults. */
    if ( !pv_setjmp(trap_catch()) )
    {
        ((volatile uint64_t *)start_info->pt_base)[260] = 0;
        trap_catch_end();
        fail("write to the L4 did not fault");
        return;
    }
    EXPECT_EQ(caught.vector, 14);
}

PVTEST(bad_guest_pointers_efault)
{
    static const unsigned long bad[] = {
        0, 0x8000000000000000UL, 0xffff830000000000UL, 0xffff800000000000UL,
    };

    for ( unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
    {
        long rc;

        rc = HYPERVISOR_mmu_update(bad[i], 1, NULL, DOMID_SELF);
        expect(rc == -EFAULT, "mmu_update(%#lx) rc %ld", bad[i], rc);
        rc = HYPERVISOR_mmuext_op(bad[i], 1, NULL, DOMID_SELF);
        expect(rc == -EFAULT, "mmuext_op(%#lx) rc %ld", bad[i], rc);
        rc = HYPERVISOR_memory_op(XENMEM_machphys_mapping, bad[i]);
        expect(rc == -EFAULT, "memory_op(%#lx) rc %ld", bad[i], rc);
        rc = HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, bad[i]);
        expect(rc == -EFAULT, "vcpu_op(%#lx) rc %ld", bad[i], rc);
    }
    /*
     * Buffers that start in the guest's part and run on into the
     * non-canonical hole, or start in the hypervisor's range and end in
     * the guest's: no byte may be copied from either.
     */
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machphys_mapping,
                                    0x00007ffffffffff8UL), EFAULT);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machphys_mapping,
                                    HYPERVISOR_VIRT_END - 8), EFAULT);
    /* Read-only for the guest: the start_info page's own L4 alias. */
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machphys_mapping,
                                    start_info->pt_base), EFAULT);
}

PVTEST(memory_op_queries)
{
    struct xen_machphys_mapping mm;
    domid_t self = DOMID_SELF;
    long cur, max, top;

    EXPECT_OK(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mm));
    EXPECT_EQ(mm.v_start, MACH2PHYS_VIRT_START);
    expect(mm.v_end > mm.v_start && mm.v_end <= MACH2PHYS_VIRT_END,
           "v_end %#lx", mm.v_end);
    top = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    expect(top > 0 && (unsigned long)top <= mm.max_mfn + 1,
           "maximum_ram_page %ld, max_mfn %#lx", top, mm.max_mfn);
    cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    /* A fuzz run may leave the domain with frames it did not give back. */
    if ( fuzz_ran() )
        expect(cur >= (long)start_info->nr_pages,
               "current_reservation %ld", cur);
    else
        EXPECT_EQ(cur, start_info->nr_pages);
    max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
    expect(max >= cur, "maximum_reservation %ld < current %ld", max, cur);
}

PVTEST(memory_op_machphys_mfn_list)
{
    static xen_pfn_t mfns[8];
    struct xen_machphys_mfn_list l = { .max_extents = 8 };

    set_xen_guest_handle(l.extent_start, mfns);
    EXPECT_OK(HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l));
    expect(l.nr_extents >= 1 && l.nr_extents <= 8, "nr_extents %u",
           l.nr_extents);
    expect(mfns[0] != 0, "first M2P chunk mfn 0");
}

PVTEST(memory_op_memory_maps)
{
    static struct xen_e820_entry e[64];
    struct xen_memory_map map = { .nr_entries = 64 };
    uint64_t ram = 0;

    set_xen_guest_handle(map.buffer, e);
    /*
     * A PV dom0 has no pseudo-physical map of its own: Xen answers
     * -ENOSYS and the kernel builds one from nr_pages.
     */
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_memory_map, &map), ENOSYS);
    map.nr_entries = 64;
    if ( !is_dom0() )
    {
        /* The machine's map is dom0's to see, whatever the argument. */
        EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map),
                   EPERM);
        EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machine_memory_map, NULL),
                   EPERM);
        return;
    }
    EXPECT_OK(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map));
    expect(map.nr_entries >= 2, "machine_memory_map: %u entries",
           map.nr_entries);
    for ( unsigned int i = 0; i < map.nr_entries; i++ )
        if ( e[i].type == 1 )
            ram += e[i].size;
    expect(ram >= start_info->nr_pages * PAGE_SIZE,
           "machine_memory_map RAM %#lx < nr_pages", ram);
    EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machine_memory_map, NULL), EFAULT);
}

/*
 * Writable page tables: the kernel writes PTEs straight into one of its
 * own (read-only) L1 tables; the hypervisor emulates each write, or
 * bounces it as the #PF it was when the new entry is not allowed.
 */
PVTEST(ptwr_direct_pte_writes)
{
    unsigned long a = scratch_page(), b = scratch_page();
    uint64_t ma = pte_maddr(a, 1);
    volatile uint64_t *pte = (volatile uint64_t *)
        (mfn_to_va(ma >> PAGE_SHIFT) + (ma & (PAGE_SIZE - 1)));
    uint64_t orig = *pte, b_pte, seen;
    static xen_pfn_t m2p_mfn;
    struct xen_machphys_mfn_list l = { .max_extents = 1 };

    *(volatile unsigned long *)b = 0x5a5a1234UL;
    b_pte = (va_to_mfn(b) << PAGE_SHIFT) | (orig & (PAGE_SIZE - 1));

    /* mov: a now maps b's frame. */
    *pte = b_pte;
    EXPECT_OK(mmuext(MMUEXT_INVLPG_LOCAL, a));
    EXPECT_EQ(*(volatile unsigned long *)a, 0x5a5a1234UL);

    /* lock and / lock or: take RW away and give it back. */
    __atomic_and_fetch(pte, ~(uint64_t)_PAGE_RW, __ATOMIC_SEQ_CST);
    EXPECT_EQ(read_pte(a, 1) & _PAGE_RW, 0);
    __atomic_or_fetch(pte, (uint64_t)_PAGE_RW, __ATOMIC_SEQ_CST);
    EXPECT_EQ(read_pte(a, 1) & _PAGE_RW, _PAGE_RW);

    /* cmpxchg: a stale expected value fails and loads the entry. */
    seen = orig;
    expect(!__atomic_compare_exchange_n(pte, &seen, orig, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST),
           "cmpxchg with a stale value succeeded");
    EXPECT_EQ(seen & PTE_MFN_MASK, b_pte & PTE_MFN_MASK);

    /* xchg: back to the original frame, the old entry returned. */
    seen = __atomic_exchange_n(pte, orig, __ATOMIC_SEQ_CST);
    EXPECT_EQ(seen & PTE_MFN_MASK, b_pte & PTE_MFN_MASK);
    EXPECT_OK(mmuext(MMUEXT_INVLPG_LOCAL, a));
    EXPECT_EQ(read_pte(a, 1) & PTE_MFN_MASK, orig & PTE_MFN_MASK);

    /* Refused: a writable mapping of a frame that is not ours. */
    set_xen_guest_handle(l.extent_start, &m2p_mfn);
    EXPECT_OK(HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l));
    if ( !pv_setjmp(trap_catch()) )
    {
        *pte = (m2p_mfn << PAGE_SHIFT) | (orig & (PAGE_SIZE - 1));
        trap_catch_end();
        fail("writable PTE for M2P frame %#lx written", m2p_mfn);
    }
    else
    {
        EXPECT_EQ(caught.vector, 14);
        EXPECT_EQ(caught.cr2, (unsigned long)pte);
    }
    EXPECT_EQ(*pte, orig);
}
