/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PERDOMAIN_H
#define ASM_X86_PERDOMAIN_H

/*
 * A domain's per-domain area, L4 slot 260 (xen/arch/x86/mm/perdomain.c):
 * made with the domain, mapped by its own L3, freed whole when it dies.
 */

#include <xen/mm.h>
#include <asm/page.h>

struct domain;

int perdomain_init(struct domain *d);          /* 0 or -ENOMEM */
void perdomain_teardown(struct domain *d);     /* no vCPU of d running */
/* The L1 covering va (made on first use); INVALID_MFN: no memory. */
mfn_t perdomain_l1(struct domain *d, unsigned long va);
/* Writes va's entry in l1 and flushes it locally. */
void perdomain_set_l1e(mfn_t l1, unsigned long va, pgentry_t e);

#endif /* ASM_X86_PERDOMAIN_H */
