/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_M2P_H
#define ASM_X86_M2P_H

/*
 * The machine-to-phys table (xen/arch/x86/mm/m2p.c): one 8-byte entry
 * per machine frame, the guest frame number (pfn) it holds for its
 * owner, or M2P_INVALID. The hypervisor writes it through its RW view
 * (RDWR_MPT_VIRT_START, slot 261); guests read it at RO_MPT_VIRT_START
 * (slot 256, user-readable, read-only). Only pages of the table that
 * describe RAM exist: entries for frames in holes are not mapped, and
 * the hypervisor never writes them (only RAM frames go to guests).
 *
 * Every path that gives a frame to a guest or takes it back updates its
 * entry (set_gpfn_from_mfn()); the builder, and later the reservation
 * and MACHPHYS_UPDATE paths.
 */

#include <xen/mm.h>

#define M2P_INVALID (~0UL)

void m2p_init(void);              /* boot CPU, once the heap is up */
/* Bytes of guest-visible table (entries up to the top of RAM). */
unsigned long m2p_size_bytes(void);
unsigned long m2p_pages(void);    /* pages of table actually present */
bool m2p_va_backed(unsigned long va);   /* for the audit */
/* The frame holding the table at byte offset off, or 0 if none. */
unsigned long m2p_table_mfn(unsigned long off);

void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn);
unsigned long get_gpfn_from_mfn(mfn_t mfn);

#endif /* ASM_X86_M2P_H */
