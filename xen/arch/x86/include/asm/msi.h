/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_MSI_H
#define ASM_X86_MSI_H

/*
 * MSI and MSI-X for dom0's devices (xen/arch/x86/msi.c), the split Xen
 * uses with a PV dom0: dom0 owns the device and its config space, and
 * turns MSI or MSI-X on and INTx off itself; the hypervisor owns what
 * says where a message goes. For each message dom0 maps (map_pirq of
 * type MSI, MSI_SEG, MULTI_MSI with one vector) the hypervisor:
 *  - gives it a vector of its own (irq_alloc_vector()) and a CPU;
 *  - writes the address and data: for MSI in the capability (with the
 *    message count set to one), for MSI-X in the table entry in the
 *    BAR, which it keeps mapped;
 *  - keeps the message masked while nobody is bound to it (MSI-X entry
 *    mask bit; MSI's per-vector mask bit if the device has one);
 *  - makes the frames of an MSI-X table and its PBA read-only for dom0
 *    (msix_frame_ro(): L1 entries of them lose _PAGE_RW, as in Xen)
 *    while one of its entries is mapped.
 * Unmapping masks the message (MSI-X), or turns MSI off (as Xen's
 * pci_disable_msi()), and frees the vector.
 *
 * Messages are edge-triggered: the handler acknowledges the local APIC
 * at once and marks the bound port pending; the guest owes no EOI.
 *
 * Config space is reached through MMCONFIG (the MCFG's areas), never
 * through ports 0xCF8/0xCFC, which dom0 uses at the same time.
 *
 * Locking: msi_map() and msi_unmap() run under the domain's event_lock
 * (the PIRQ table's); the slots' delivery state is under one lock taken
 * with interrupts off, after it, as irq.c's.
 */

#include <xen/types.h>
#include <asm/atomic.h>
#include <public/event_channel.h>

struct domain;

/* The most messages mapped at once, over all devices. */
#define NR_MSIS 64

/* What map_pirq asks for, Xen's struct msi_info. */
struct msi_request {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
    bool msix;              /* table_base != 0 */
    unsigned int entry;     /* MSI-X: the table entry */
    uint64_t table_base;    /* MSI-X: the BAR dom0 says holds the table */
};

/*
 * Programs one message for d; the slot it lives in (>= 0), or -ENODEV
 * (no device there, no such capability, a bus no MMCONFIG area
 * covers), -EINVAL (an MSI-X entry past the table), -ENXIO (memory
 * decoding off), -EEXIST (that message is mapped already), -ENOSPC (no
 * slot or vector left), -EOPNOTSUPP (no MMCONFIG at all).
 */
int msi_map(struct domain *d, const struct msi_request *r);
/* Unbinds if bound, masks or disables the message, frees its vector. */
void msi_unmap(unsigned int slot, const struct domain *d);

/* Binds slot (d's) to port and unmasks it. -EBUSY: bound already. */
int msi_guest_bind(unsigned int slot, struct domain *d, evtchn_port_t port);
/* Masks slot and forgets its port. */
void msi_guest_unbind(unsigned int slot, const struct domain *d);
/* Sends slot's messages to cpu from now on (same vector). */
void msi_set_cpu(unsigned int slot, const struct domain *d, unsigned int cpu);

/*
 * An MSI-X table or PBA frame in use: dom0 maps it read-only.
 * msix_ro_ranges is 0 while no MSI-X entry is mapped, the common case.
 */
extern unsigned int msix_ro_ranges;
bool msix_ro_lookup(unsigned long mfn);
static inline bool msix_frame_ro(unsigned long mfn)
{
    return unlikely(read_atomic(&msix_ro_ranges) != 0) &&
           msix_ro_lookup(mfn);
}

/* Key 'i''s MSI half. */
void msi_dump(void);

#endif /* ASM_X86_MSI_H */
