/* SPDX-License-Identifier: GPL-2.0-only */
/* What the dom0 builder hands over: start_info, shared_info, p2m, M2P. */
#include "pvkernel.h"

PVTEST(start_info_magic_and_flags)
{
    expect(!strncmp(start_info->magic, "xen-3.0-x86_64", 14),
           "magic \"%.32s\", expected xen-3.0-x86_64", start_info->magic);
    /* dom0 has both flags; a domU neither (is_dom0() reads the second). */
    if ( start_info->flags & SIF_INITDOMAIN )
        EXPECT_EQ(start_info->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN),
                  SIF_PRIVILEGED | SIF_INITDOMAIN);
    else
        EXPECT_EQ(start_info->flags & SIF_PRIVILEGED, 0);
    expect(start_info->nr_pages >= 1024, "nr_pages %lu", start_info->nr_pages);
    expect(start_info->shared_info && !(start_info->shared_info & 0xfff),
           "shared_info %#lx not a page address", start_info->shared_info);
}

PVTEST(start_info_bootstrap_layout)
{
    unsigned long si = (unsigned long)start_info;
    unsigned long pt = start_info->pt_base;
    unsigned long kend = (unsigned long)_end;

    expect(pt >= kend && !(pt & 0xfff), "pt_base %#lx (kernel ends %#lx)",
           pt, kend);
    expect(start_info->nr_pt_frames >= 4 && start_info->nr_pt_frames < 64,
           "nr_pt_frames %lu", start_info->nr_pt_frames);
    expect(si >= kend && si < pt, "start_info %#lx outside [%#lx, %#lx)", si,
           kend, pt);
#ifdef PVK_INIT_P2M
    /*
     * The p2m where the INIT_P2M note asked, in frames of its own after
     * the boot region (list and page tables), which start_info names.
     */
    EXPECT_EQ(start_info->mfn_list, PVK_INIT_P2M);
    expect(start_info->first_p2m_pfn > (pt - PVK_VIRT_BASE) >> PAGE_SHIFT,
           "first_p2m_pfn %lu inside the boot region",
           start_info->first_p2m_pfn);
    expect(start_info->nr_p2m_frames >=
           (start_info->nr_pages * 8 + PAGE_SIZE - 1) / PAGE_SIZE + 3,
           "nr_p2m_frames %lu: too few for the list and its tables",
           start_info->nr_p2m_frames);
    /* Its frames are the domain's, in the M2P like every other. */
    EXPECT_EQ(m2p[p2m[start_info->first_p2m_pfn]],
              start_info->first_p2m_pfn);
#else
    expect(start_info->mfn_list >= kend && start_info->mfn_list < si,
           "mfn_list %#lx", start_info->mfn_list);
    EXPECT_EQ(start_info->nr_p2m_frames, 0);
#endif
    /* The L4 maps itself to what pt_base says, read-only. */
    EXPECT_EQ(read_pte(pt, 1) & (_PAGE_PRESENT | _PAGE_RW), _PAGE_PRESENT);
    EXPECT_EQ((read_pte(pt, 1) & PTE_MFN_MASK) >> PAGE_SHIFT, va_to_mfn(pt));
    expect(start_info->cmd_line[MAX_GUEST_CMDLINE - 1] == 0,
           "cmd_line not terminated");
}

PVTEST(p2m_m2p_agree)
{
    unsigned long bad = 0, first = ~0UL;

    for ( unsigned long pfn = 0; pfn < start_info->nr_pages; pfn++ )
    {
        unsigned long mfn = p2m[pfn];

        if ( m2p[mfn] != pfn )
        {
            if ( !bad++ )
                first = pfn;
        }
    }
    expect(!bad, "%lu pfns with m2p[p2m[pfn]] != pfn, first %#lx (mfn %#lx, "
           "m2p %#lx)", bad, first, first == ~0UL ? 0 : p2m[first],
           first == ~0UL ? 0 : m2p[p2m[first]]);
}

PVTEST(vcpu_info_at_entry)
{
    vcpu_time_info_t *t = &shared->vcpu_info[0].time;

    for ( unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++ )
        expect(shared->vcpu_info[i].evtchn_upcall_mask == 1,
               "vcpu_info[%u] upcall mask %u", i,
               shared->vcpu_info[i].evtchn_upcall_mask);
    expect(!(t->version & 1) && t->version, "time version %u", t->version);
    expect(t->tsc_to_system_mul, "tsc_to_system_mul 0");
    expect(shared->wc_sec || shared->wc_sec_hi, "wallclock zero");
    expect(!(shared->wc_version & 1), "wc_version %u odd", shared->wc_version);
    expect(shared->arch.max_pfn >= start_info->nr_pages || !shared->arch.max_pfn,
           "arch.max_pfn %lu < nr_pages", shared->arch.max_pfn);
}

PVTEST(system_time_advances)
{
    uint64_t a = system_time_ns(0), b;

    for ( unsigned int i = 0; i < 100; i++ )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    b = system_time_ns(0);
    expect(b > a, "system time %lu then %lu", a, b);
    expect(a > 0, "system time 0");
}

/*
 * A second module is dom0's initrd: mapped after the kernel (this kernel
 * has no MOD_START_PFN note), mod_start its address, mod_len its size.
 * The boot test gives one that starts with a known line; without one,
 * mod_len is 0.
 */
PVTEST(start_info_initrd)
{
    static const char magic[] = "Xenon initrd test\n";
    const char *rd = (const char *)start_info->mod_start;

    if ( !start_info->mod_len )
    {
        EXPECT_EQ(start_info->mod_start, 0);
        return;
    }
#ifdef PVK_INIT_P2M
    /* With MOD_START_PFN: a pfn past the boot region, not mapped. */
    {
        unsigned long va = scratch_page();

        expect(start_info->flags & SIF_MOD_START_PFN,
               "MOD_START_PFN note, but mod_start is no pfn");
        expect(start_info->mod_start > (start_info->pt_base - PVK_VIRT_BASE) >>
               PAGE_SHIFT, "initrd pfn %lu inside the boot region",
               start_info->mod_start);
        EXPECT_OK(HYPERVISOR_update_va_mapping(va,
                  (p2m[start_info->mod_start] << PAGE_SHIFT) |
                  _PAGE_PRESENT, UVMF_INVLPG));
        rd = (const char *)va;
    }
#else
    expect(!(start_info->flags & SIF_MOD_START_PFN),
           "mod_start is a pfn, but the kernel has no MOD_START_PFN note");
    expect(start_info->mod_start >= (unsigned long)_end &&
           start_info->mod_start + start_info->mod_len <=
           (unsigned long)start_info, "initrd at %#lx+%#lx, not between "
           "the kernel and start_info", start_info->mod_start,
           start_info->mod_len);
#endif
    expect(start_info->mod_len >= sizeof(magic) - 1 &&
           !strncmp(rd, magic, sizeof(magic) - 1),
           "initrd starts \"%.18s\"", rd);
    printk("pvtest: info: initrd of %lu bytes at %#lx\n",
           start_info->mod_len, start_info->mod_start);
}
