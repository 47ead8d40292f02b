/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_LAYOUT_H
#define ASM_X86_LAYOUT_H

#include <xen/init.h>
#include <xen/types.h>

/* One region of the virtual layout: [start, end). */
struct layout_region {
    const char *name;
    unsigned long start, end;
};

/* Every region of asm/config.h, in address order. */
extern const struct layout_region xen_layout[];
extern const unsigned int xen_layout_nr;

/*
 * Returns NULL if the regions are non-empty, ordered, disjoint, inside
 * the hypervisor's L4 slots and each in shared or in per-guest slots
 * only; otherwise the name of the first bad one.
 */
const char *layout_check(const struct layout_region *r, unsigned int nr);

/* Checks the layout (panics if it is wrong) and prints it. */
void layout_init(void);

#endif /* ASM_X86_LAYOUT_H */
