/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_DESC_H
#define ASM_X86_DESC_H

/*
 * The hypervisor's GDT.
 *
 * Selectors below FIRST_RESERVED_GDT_BYTE belong to a PV guest (the
 * frames it gives set_gdt(), up to 14 pages); the hypervisor's own
 * descriptors fill one page from there, one page per CPU (the TSS
 * descriptor in it is the CPU's own). Without a guest the GDTR base is
 * that page minus FIRST_RESERVED_GDT_BYTE: the guest part of the range
 * is never looked up, since nothing loads a selector below it while no
 * guest runs. A vCPU's GDT is a 16-page mapping of its own in its
 * domain's per-domain area, whose 15th page is the current CPU's
 * descriptor page (xen/arch/x86/pv/descriptor-tables.c).
 *
 * Entries of the reserved page (selector = FIRST_RESERVED_GDT_BYTE +
 * 8 * index):
 *   1     hypervisor 64-bit code        __HYPERVISOR_CS  0xe008
 *   2     hypervisor data (and SS)      __HYPERVISOR_DS  0xe010
 *   4     ring-3 32-bit code            FLAT_RING3_CS32  0xe023
 *   5     ring-3 data (and SS)          FLAT_RING3_SS    0xe02b
 *   6     ring-3 64-bit code            FLAT_RING3_CS64  0xe033
 *   8-9   this CPU's TSS                TSS_SELECTOR     0xe040
 *   10-11 the running vCPU's LDT        LDT_SELECTOR     0xe050
 */

#include <asm/config.h>

#define FIRST_RESERVED_GDT_PAGE  (FIRST_RESERVED_GDT_BYTE >> PAGE_SHIFT)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE >> 3)
#define TSS_SELECTOR             0xe040
#define LDT_SELECTOR             0xe050
/* Entries of the reserved page in use; the GDTR limit ends after them. */
#define RESERVED_GDT_ENTRIES     12
#define GDT_LIMIT (FIRST_RESERVED_GDT_BYTE + RESERVED_GDT_ENTRIES * 8 - 1)

/* Index of a reserved selector inside the per-CPU descriptor page. */
#define GDT_PAGE_INDEX(sel) (((sel) - FIRST_RESERVED_GDT_BYTE) >> 3)

#ifndef __ASSEMBLY__
#include <xen/types.h>

/* Each CPU's descriptor page (the BSP's is in the image). */
extern uint64_t *cpu_gdt_page[CONFIG_NR_CPUS];

/* Gives cpu a descriptor page; 0 or -ENOMEM. Before it is started. */
int gdt_page_alloc(unsigned int cpu);

/* lgdt with the given base (the GDT's byte 0) and GDT_LIMIT. */
void load_gdt(unsigned long base);

/* Back to this CPU's own GDT (no guest descriptors). */
void load_hypervisor_gdt(void);
#endif

#endif /* ASM_X86_DESC_H */
