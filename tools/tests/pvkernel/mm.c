/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page-table access for the checks. The hypervisor mapped the bootstrap
 * region (kernel, p2m, start_info, page tables, padding) linearly: pfn N
 * at KERNEL_VIRT_BASE + N pages, so every page-table page we meet has a
 * read-only alias there. Free frames come from the padding after the
 * page tables, which is mapped writable; scratch_page() hands them out
 * and scratch_reset() takes them back after each check, mapped writable
 * again.
 */
#include "pvkernel.h"

#define MAX_SCRATCH 64

static unsigned long scratch_next, scratch_limit;
static unsigned long scratch_base;

unsigned long va_to_mfn(unsigned long va)
{
    return p2m[(va - KERNEL_VIRT_BASE) >> PAGE_SHIFT];
}

unsigned long mfn_to_va(unsigned long mfn)
{
    return KERNEL_VIRT_BASE + (m2p[mfn] << PAGE_SHIFT);
}

static unsigned int idx(unsigned long va, unsigned int level)
{
    return (va >> (12 + 9 * (level - 1))) & 511;
}

uint64_t pte_maddr(unsigned long va, unsigned int level)
{
    unsigned long table_mfn = va_to_mfn(start_info->pt_base);

    for ( unsigned int l = 4; ; l-- )
    {
        const uint64_t *t = (const uint64_t *)mfn_to_va(table_mfn);
        uint64_t e = t[idx(va, l)];

        if ( l == level )
            return (table_mfn << PAGE_SHIFT) + idx(va, l) * 8;
        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
            return 0;
        table_mfn = (e & PTE_MFN_MASK) >> PAGE_SHIFT;
    }
}

uint64_t read_pte(unsigned long va, unsigned int level)
{
    uint64_t ma = pte_maddr(va, level);
    unsigned long mfn = ma >> PAGE_SHIFT;

    if ( !ma )
        return 0;
    return *(const uint64_t *)(mfn_to_va(mfn) + (ma & (PAGE_SIZE - 1)));
}

static void scratch_init(void)
{
    unsigned long end = start_info->pt_base +
                        start_info->nr_pt_frames * PAGE_SIZE;

    /* Skip the boot stack page after the page tables, and one more. */
    scratch_base = (end + 2 * PAGE_SIZE + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    scratch_next = scratch_base;
    scratch_limit = scratch_base;
    while ( scratch_limit < scratch_base + MAX_SCRATCH * PAGE_SIZE &&
            (read_pte(scratch_limit, 1) & (_PAGE_PRESENT | _PAGE_RW)) ==
            (_PAGE_PRESENT | _PAGE_RW) )
        scratch_limit += PAGE_SIZE;
}

unsigned long scratch_page(void)
{
    unsigned long va;

    if ( !scratch_base )
        scratch_init();
    if ( scratch_next >= scratch_limit )
    {
        fail("out of scratch pages (%lu)",
             (scratch_limit - scratch_base) / PAGE_SIZE);
        check_abort();
    }
    va = scratch_next;
    scratch_next += PAGE_SIZE;
    memset((void *)va, 0, PAGE_SIZE);
    return va;
}

long mmuext(unsigned int cmd, unsigned long arg1)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = arg1 };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long set_pte(uint64_t maddr, uint64_t val)
{
    struct mmu_update u = { .ptr = maddr | MMU_NORMAL_PT_UPDATE, .val = val };

    return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}

long remap_ro(unsigned long va)
{
    return HYPERVISOR_update_va_mapping(va, (va_to_mfn(va) << PAGE_SHIFT) |
                                        _PAGE_PRESENT | _PAGE_USER,
                                        UVMF_INVLPG);
}

long remap_rw(unsigned long va)
{
    return HYPERVISOR_update_va_mapping(va, (va_to_mfn(va) << PAGE_SHIFT) |
                                        _PAGE_PRESENT | _PAGE_RW | _PAGE_USER,
                                        UVMF_INVLPG);
}

/*
 * Give the scratch pages back: checks may leave them read-only, pinned or
 * hooked into a page table; a check cleans up what it hooked in, this
 * only unpins (ignoring errors) and makes them writable again.
 */
void scratch_reset(void)
{
    /* The first scratch page is shared_info's mapping: keep it. */
    unsigned long keep = (unsigned long)shared + PAGE_SIZE;

    for ( unsigned long va = keep; va < scratch_next; va += PAGE_SIZE )
    {
        mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(va));
        remap_rw(va);
    }
    if ( scratch_next > keep )
        scratch_next = keep;
}

uint64_t system_time_ns(unsigned int cpu)
{
    volatile struct vcpu_time_info *t = &vcpu_info_of[cpu]->time;
    uint32_t ver;
    uint64_t ns;

    do {
        ver = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        {
            uint64_t delta = rdtsc() - t->tsc_timestamp;

            if ( t->tsc_shift >= 0 )
                delta <<= t->tsc_shift;
            else
                delta >>= -t->tsc_shift;
            ns = t->system_time +
                 (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
        }
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ( (ver & 1) || ver != t->version );
    return ns;
}
