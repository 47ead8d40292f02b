/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PHYSDEV_H
#define ASM_X86_PHYSDEV_H

/*
 * physdev_op and a domain's PIRQs (xen/arch/x86/physdev.c), with Xen's
 * semantics for a PV dom0; docs/designs/dom0-interrupts.md.
 *
 * A PIRQ is a domain's name for a physical interrupt line. A privileged
 * domain has NR_DOM0_PIRQS of them, any other the GSIs' count plus
 * NR_DOMU_EXTRA_PIRQS, as Xen; a domU may not map any (no passthrough),
 * so its PIRQ calls fail as Xen's do for lines it has no access to.
 * Each PIRQ is:
 *  - mapped (map_pirq) to one GSI, or to one MSI or MSI-X message
 *    (asm/msi.h), or not; a GSI or a message is mapped to at most one
 *    PIRQ of a domain. Dom0 asks for PIRQ == GSI, which Xen and Xenon
 *    give it; an MSI's PIRQ is the highest free one, as Xen's;
 *  - bound (EVTCHNOP_bind_pirq) to one event channel port, or not. A
 *    bound PIRQ that is still mapped is live: the hypervisor delivers
 *    its GSI's interrupts to the port (asm/irq.h). unmap_pirq of a
 *    bound PIRQ makes it dead but leaves the port bound until closed,
 *    as Xen's forced unbind does.
 * The PIRQ table changes only under the domain's event_lock.
 *
 * IRQ access: the IRQs (map_pirq indexes) a domain may map, as Xen
 * keeps them. dom0 starts with all but IRQ 0 (the timer), a domU with
 * none; unmap_pirq takes the IRQ away again (as Xen's unmap does), so
 * dom0 cannot map a line it has given up.
 *
 * The EOI bitmap (PHYSDEVOP_pirq_eoi_gmfn_v2): a guest frame whose bit
 * n says PIRQ n needs PHYSDEVOP_eoi. As in Xen the hypervisor writes a
 * bit only when the PIRQ is bound (set for a level-triggered line,
 * clear for an edge one), so the frame is mapped only for that moment
 * and is not among the guest frames mapped at rest. The frame holds the
 * writable type until the domain dies.
 */

#include <xen/types.h>
#include <public/event_channel.h>

struct domain;

#define NR_DOM0_PIRQS 256
#define NR_DOMU_EXTRA_PIRQS 32

struct pirq {
    int16_t gsi;            /* mapped to, or -1 */
    int8_t msi;             /* or mapped to this MSI slot (asm/msi.h), or -1 */
    uint16_t irq;           /* mapped: the map_pirq index that did it */
    bool live;              /* bound at the GSI (irq_guest_bind() done) */
    bool level;             /* live: the guest must EOI it */
    evtchn_port_t port;     /* bound to, or 0 */
};

/* Boot, after acpi_boot_init(): reads the MCFG's MMCONFIG areas. */
void physdev_init(void);

/*
 * Where bus's config space starts in MMCONFIG: -EOPNOTSUPP if the MCFG
 * has no area at all, -ENODEV if none covers seg:bus.
 */
int physdev_mmcfg_bus(unsigned int seg, unsigned int bus, paddr_t *pa);

/* The PIRQ table and IRQ access of a new domain. -ENOMEM. */
int physdev_domain_init(struct domain *d);
/* Unmaps every PIRQ and lets go of the EOI bitmap frame (domain_kill). */
void physdev_domain_teardown(struct domain *d);
/* Unbinds any line still live, frees the table (domain_destroy). */
void physdev_domain_destroy(struct domain *d);

/*
 * EVTCHNOP_bind_pirq's work, under d's event_lock, for port (allocated,
 * not yet bound): -EINVAL out of range, -EPERM not mapped, -EEXIST
 * bound already, -EBUSY the line is not to be had (the hypervisor's or
 * another's). On success the PIRQ is bound to port and live.
 */
int pirq_bind_port(struct domain *d, unsigned int pirq, evtchn_port_t port,
                   bool will_share);
/* Closing port, bound to pirq: under d's event_lock. */
void pirq_unbind_port(struct domain *d, unsigned int pirq);
/*
 * EVTCHNOP_bind_vcpu of pirq's port, under d's event_lock: its line or
 * message is routed to the CPU v runs on now (Xen's pirq affinity). A
 * later move of v does not follow.
 */
void pirq_set_vcpu(struct domain *d, unsigned int pirq, const struct vcpu *v);

#endif /* ASM_X86_PHYSDEV_H */
