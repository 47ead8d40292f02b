/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Feature names and bitmaps: the FEATURES list a kernel gives, and how
 * what it requires compares with what the hypervisor offers.
 */
#include "libelf-private.h"

static const struct {
    const char *name;
    /*
     * Xen's loader knows only these names in a FEATURES list; a kernel
     * naming another one there boots on Xen only if it does not require
     * it. Keep the same set, so a kernel is refused exactly when Xen
     * would refuse it.
     */
    bool in_notes;
} features[] = {
    [XENFEAT_writable_page_tables]       = { "writable_page_tables", true },
    [XENFEAT_writable_descriptor_tables] = { "writable_descriptor_tables",
                                             true },
    [XENFEAT_auto_translated_physmap]    = { "auto_translated_physmap",
                                             true },
    [XENFEAT_supervisor_mode_kernel]     = { "supervisor_mode_kernel", true },
    [XENFEAT_pae_pgdir_above_4gb]        = { "pae_pgdir_above_4gb", true },
    [XENFEAT_mmu_pt_update_preserve_ad]  = { "mmu_pt_update_preserve_ad" },
    [XENFEAT_highmem_assist]             = { "highmem_assist" },
    [XENFEAT_gnttab_map_avail_bits]      = { "gnttab_map_avail_bits" },
    [XENFEAT_hvm_callback_vector]        = { "hvm_callback_vector", true },
    [XENFEAT_hvm_safe_pvclock]           = { "hvm_safe_pvclock" },
    [XENFEAT_hvm_pirqs]                  = { "hvm_pirqs" },
    [XENFEAT_dom0]                       = { "dom0", true },
    [XENFEAT_grant_map_identity]         = { "grant_map_identity" },
    [XENFEAT_memory_op_vnode_supported]  = { "memory_op_vnode_supported" },
    [XENFEAT_ARM_SMCCC_supported]        = { "ARM_SMCCC_supported" },
    [XENFEAT_linux_rsdp_unrestricted]    = { "linux_rsdp_unrestricted" },
    [XENFEAT_not_direct_mapped]          = { "not_direct_mapped" },
    [XENFEAT_direct_mapped]              = { "direct_mapped" },
    [XENFEAT_runstate_phys_area]         = { "runstate_phys_area" },
    [XENFEAT_vcpu_time_phys_area]        = { "vcpu_time_phys_area" },
    [XENFEAT_dm_msix_all_writes]         = { "dm_msix_all_writes" },
};

BUILD_BUG_ON(ARRAY_SIZE(features) > 32 * XENFEAT_NR_SUBMAPS);

const char *xen_feature_name(unsigned int bit)
{
    return bit < ARRAY_SIZE(features) ? features[bit].name : NULL;
}

/* The bit FEATURES may call name[0..len), or -1. */
static int note_feature(const char *name, size_t len)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(features); i++ )
        if ( features[i].in_notes && strlen(features[i].name) == len &&
             !memcmp(features[i].name, name, len) )
            return i;

    return -1;
}

int elf_features_parse(const char *s, size_t len, struct elf_dom_parms *p,
                       const char **why)
{
    size_t pos = 0;

    while ( pos < len )
    {
        const char *bar = memchr(s + pos, '|', len - pos);
        size_t end = bar ? (size_t)(bar - s) : len;
        const char *name = s + pos;
        size_t n = end - pos;
        bool required = n && name[0] == '!';
        int bit;

        pos = bar ? end + 1 : len;
        if ( required )
        {
            name++;
            n--;
        }

        bit = note_feature(name, n);
        if ( bit < 0 )
        {
            /* Xen ignores what it does not know unless it is required. */
            if ( !required )
                continue;
            elf_parm_str(p->detail, name, n);
            return elf_fail(why, "FEATURES requires a feature unknown to the "
                                 "loader");
        }

        p->f_supported[bit / 32] |= 1u << (bit % 32);
        if ( required )
            p->f_required[bit / 32] |= 1u << (bit % 32);
    }

    return 0;
}

int elf_features_check(const struct elf_dom_parms *p,
                       const uint32_t *hv_supported, unsigned int *missing)
{
    unsigned int i;

    for ( i = 0; i < XENFEAT_NR_SUBMAPS; i++ )
    {
        uint32_t lacking = p->f_required[i] & ~hv_supported[i];

        if ( lacking )
        {
            *missing = i * 32 + __builtin_ctz(lacking);
            return -EINVAL;
        }
    }

    return 0;
}

bool elf_dom0_capable(const struct elf_dom_parms *p)
{
    return !elf_note_present(p, XEN_ELFNOTE_SUPPORTED_FEATURES) ||
           (p->f_supported[XENFEAT_dom0 / 32] & (1u << (XENFEAT_dom0 % 32)));
}
