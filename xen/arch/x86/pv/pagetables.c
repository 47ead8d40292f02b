/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PV vCPU's page-table roots. Types and reference counts of guest
 * page tables (validation, pinning) are the next milestone's; today the
 * builder types dom0's initial tables itself and nothing else changes
 * them, so letting go of a dying vCPU's roots is only forgetting them:
 * release_domain_pages() clears every type on the way to the heap.
 */
#include <xen/sched.h>
#include <asm/pv.h>

void pv_vcpu_release_tables(struct vcpu *v)
{
    /*
     * The domain is dying and its pages go back whole
     * (release_domain_pages() clears every count): forget the roots.
     */
    v->arch.guest_table = INVALID_MFN;
    v->arch.guest_table_user = INVALID_MFN;
}
