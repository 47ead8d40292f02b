/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physdev_op: what a PV dom0 asks of the hypervisor about physical
 * devices, with Xen's numbers, checks and error codes (asm/physdev.h
 * has the PIRQ rules, docs/designs/dom0-interrupts.md the whole).
 *
 * Served: set_iopl; the PIRQ calls (map_pirq and unmap_pirq of GSIs
 * and of MSI and MSI-X messages, setup_gsi, irq_status_query, eoi,
 * pirq_eoi_gmfn_v2); apic_read of
 * an IO-APIC register; alloc_irq_vector (a dummy, as in Xen); the PCI
 * device announcements (accepted: nothing here depends on them yet) and
 * MMCONFIG's (checked against the MCFG). Refused: apic_write (the IO-APICs are the hypervisor's:
 * dom0 routes lines only through setup_gsi and map_pirq), more than
 * one multi-message MSI vector (-EOPNOTSUPP, as Xen without interrupt
 * remapping), PIRQs of another domain (no passthrough). Everything
 * else -ENOSYS.
 */
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <asm/acpi.h>
#include <asm/guest_access.h>
#include <asm/io_apic.h>
#include <asm/irq.h>
#include <asm/msi.h>
#include <asm/physdev.h>
#include <asm/pv-mm.h>
#include <public/physdev.h>

int physdev_domain_init(struct domain *d)
{
    unsigned int i;
    unsigned int n = d->is_privileged ? NR_DOM0_PIRQS
                                      : irq_nr_gsis() + NR_DOMU_EXTRA_PIRQS;

    d->arch.pirq_eoi_mfn = INVALID_MFN;
    d->arch.pirqs = xzalloc_array(struct pirq, n);
    if ( !d->arch.pirqs )
        return -ENOMEM;
    for ( i = 0; i < n; i++ )
    {
        d->arch.pirqs[i].gsi = -1;
        d->arch.pirqs[i].msi = -1;
    }
    d->arch.nr_pirqs = n;
    BUILD_BUG_ON(sizeof(d->arch.irq_access) * 8 < NR_GSIS);
    if ( d->is_privileged )
        for ( i = 1; i < irq_nr_gsis(); i++ )
            set_bit(i, d->arch.irq_access);

    return 0;
}

static bool pirq_mapped(const struct pirq *p)
{
    return p->gsi >= 0 || p->msi >= 0;
}

/* Makes p dead and unmapped; its port stays as it is. */
static void unmap_one(struct domain *d, struct pirq *p)
{
    if ( p->msi >= 0 )
        msi_unmap(p->msi, d);
    else if ( p->live )
        irq_guest_unbind(p->gsi, d);
    p->live = false;
    p->gsi = -1;
    p->msi = -1;
}

/* Makes every PIRQ of d dead and unmapped; ports stay as they are. */
static void unmap_all(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->arch.nr_pirqs; i++ )
        if ( pirq_mapped(&d->arch.pirqs[i]) )
            unmap_one(d, &d->arch.pirqs[i]);
}

void physdev_domain_teardown(struct domain *d)
{
    spin_lock(&d->event_lock);
    /* evtchn_destroy() closed the ports, which made their PIRQs dead. */
    unmap_all(d);
    spin_unlock(&d->event_lock);

    if ( !mfn_eq(d->arch.pirq_eoi_mfn, INVALID_MFN) )
    {
        put_page_and_type(mfn_to_page(d->arch.pirq_eoi_mfn));
        d->arch.pirq_eoi_mfn = INVALID_MFN;
    }
}

void physdev_domain_destroy(struct domain *d)
{
    /*
     * A domain freed without domain_kill() may still have live lines:
     * no interrupt may find it once it is gone. Its PIRQ ports, closed
     * after this, then find no PIRQ (pirq_unbind_port()).
     */
    unmap_all(d);
    xfree(d->arch.pirqs);
    d->arch.pirqs = NULL;
    d->arch.nr_pirqs = 0;
}

/*
 * The MCFG's MMCONFIG areas, which dom0 reports back (pci_mmcfg_reserved)
 * and through which msi.c reaches config space.
 */
#define MAX_MMCFG 8
static struct mmcfg {
    uint64_t address;
    uint16_t segment;
    uint8_t start_bus, end_bus;
} mmcfgs[MAX_MMCFG];
static unsigned int nr_mmcfgs;

void __init physdev_init(void)
{
    /* After the header: 8 reserved bytes, then 16-byte entries. */
    const struct acpi_table_header *h = acpi_find_table("MCFG", 0);
    const uint8_t *e, *end;

    if ( !h )
        return;
    end = (const uint8_t *)h + h->length;
    for ( e = (const uint8_t *)(h + 1) + 8;
          e + 16 <= end && nr_mmcfgs < MAX_MMCFG; e += 16 )
    {
        struct mmcfg *m = &mmcfgs[nr_mmcfgs++];

        memcpy(&m->address, e, 8);
        memcpy(&m->segment, e + 8, 2);
        m->start_bus = e[10];
        m->end_bus = e[11];
    }
}

int physdev_mmcfg_bus(unsigned int seg, unsigned int bus, paddr_t *pa)
{
    unsigned int i;

    if ( !nr_mmcfgs )
        return -EOPNOTSUPP;
    for ( i = 0; i < nr_mmcfgs; i++ )
        if ( mmcfgs[i].segment == seg && mmcfgs[i].start_bus <= bus &&
             bus <= mmcfgs[i].end_bus )
        {
            /* An area's address is that of bus 0, whatever its first. */
            *pa = mmcfgs[i].address + ((paddr_t)bus << 20);
            return 0;
        }

    return -ENODEV;
}

/*
 * Xen's answer: the area must be one the MCFG describes (-ENODEV if no
 * entry has that segment and bus range, -EIO if its address differs).
 * Nothing changes here: MMCONFIG is I/O memory dom0 maps itself, and
 * the hypervisor uses none of it.
 */
static long mmcfg_reserved(const struct physdev_pci_mmcfg_reserved *r)
{
    unsigned int i;

    if ( r->flags & ~XEN_PCI_MMCFG_RESERVED )
        return -EINVAL;
    for ( i = 0; i < nr_mmcfgs; i++ )
        if ( mmcfgs[i].segment == r->segment &&
             mmcfgs[i].start_bus == r->start_bus &&
             mmcfgs[i].end_bus == r->end_bus )
            return mmcfgs[i].address == r->address ? 0 : -EIO;

    return -ENODEV;
}

/* Writes pirq's bit of d's EOI bitmap, if it registered one. */
static void eoi_map_write(struct domain *d, unsigned int pirq, bool needs_eoi)
{
    unsigned long *map;

    if ( mfn_eq(d->arch.pirq_eoi_mfn, INVALID_MFN) )
        return;
    map = map_domain_page(d->arch.pirq_eoi_mfn);
    if ( needs_eoi )
        set_bit(pirq, map);
    else
        clear_bit(pirq, map);
    unmap_domain_page(map);
}

int pirq_bind_port(struct domain *d, unsigned int pirq, evtchn_port_t port,
                   bool will_share)
{
    struct pirq *p;
    bool level;
    int rc;

    /* A line is never shared between domains here, so will_share is moot. */
    (void)will_share;
    ASSERT(spin_is_locked(&d->event_lock));
    if ( pirq >= d->arch.nr_pirqs )
        return -EINVAL;
    p = &d->arch.pirqs[pirq];
    if ( !pirq_mapped(p) )
        return -EPERM;
    if ( p->port )
        return -EEXIST;
    /* A message is edge: Xen's ACKTYPE_NONE, no EOI owed (asm/msi.h). */
    level = false;
    rc = p->msi >= 0 ? msi_guest_bind(p->msi, d, port)
                     : irq_guest_bind(p->gsi, d, port, &level);
    if ( rc )
        return rc;
    p->port = port;
    p->live = true;
    p->level = level;
    eoi_map_write(d, pirq, level);

    return 0;
}

void pirq_unbind_port(struct domain *d, unsigned int pirq)
{
    struct pirq *p;

    ASSERT(spin_is_locked(&d->event_lock));
    /* The table is gone already if d is being freed. */
    if ( pirq >= d->arch.nr_pirqs )
        return;
    p = &d->arch.pirqs[pirq];
    if ( p->live && p->msi >= 0 )
        msi_guest_unbind(p->msi, d);
    else if ( p->live )
        irq_guest_unbind(p->gsi, d);
    p->live = false;
    p->port = 0;
}

void pirq_set_vcpu(struct domain *d, unsigned int pirq, const struct vcpu *v)
{
    const struct pirq *p;

    ASSERT(spin_is_locked(&d->event_lock));
    if ( pirq >= d->arch.nr_pirqs )
        return;
    p = &d->arch.pirqs[pirq];
    if ( !p->live )
        return;
    if ( p->msi >= 0 )
        msi_set_cpu(p->msi, d, v->processor);
    else
        irq_guest_set_cpu(p->gsi, d, v->processor);
}

/* The domain a PIRQ call names; its PIRQs are the caller's business? */
static int pirq_target(domid_t domid, struct domain **dp)
{
    struct domain *d = current->domain;

    if ( domid != DOMID_SELF && domid != d->domain_id )
    {
        struct domain *o = get_domain_by_id(domid);

        if ( !o )
            return -ESRCH;
        put_domain(o);
        /* Another domain's lines would be passthrough: not done. */
        return d->is_privileged ? -EOPNOTSUPP : -EPERM;
    }
    if ( !d->is_privileged )
        return -EPERM;
    *dp = d;

    return 0;
}

/*
 * The GSI a map_pirq index names. As in Xen, the index is an IRQ
 * number: below 16 an ISA IRQ, reached through the MADT's overrides,
 * from 16 on the GSI itself.
 */
static int index_gsi(int index)
{
    bool level, active_low;
    unsigned int gsi;

    if ( index < 0 || index >= (int)irq_nr_gsis() )
        return -EINVAL;
    gsi = index < 16 ? io_apic_isa_irq_gsi(index, &level, &active_low)
                     : (unsigned int)index;

    return gsi < irq_nr_gsis() ? (int)gsi : -EINVAL;
}

static bool pirq_free(const struct pirq *p)
{
    return !pirq_mapped(p) && !p->port;
}

/* Xen's pick above the GSIs' PIRQs: the highest free one; -1 if none. */
static int highest_free_pirq(const struct domain *d)
{
    unsigned int i;

    for ( i = d->arch.nr_pirqs; i-- > irq_nr_gsis(); )
        if ( pirq_free(&d->arch.pirqs[i]) )
            return i;

    return -1;
}

static int map_gsi(struct domain *d, int index, int *pirq_p)
{
    int gsi = index_gsi(index), pirq = *pirq_p, mapped = -1, rc = 0;
    unsigned int i;

    if ( gsi < 0 )
        return gsi;

    spin_lock(&d->event_lock);
    for ( i = 0; i < d->arch.nr_pirqs; i++ )
        if ( d->arch.pirqs[i].gsi == gsi )
            mapped = i;
    if ( pirq < 0 )
    {
        /* Its PIRQ if it has one; else Xen's choice: a free one from 16
         * up to the GSIs' end, then from the top down. */
        pirq = mapped;
        for ( i = 16; pirq < 0 && i < irq_nr_gsis(); i++ )
            if ( pirq_free(&d->arch.pirqs[i]) )
                pirq = i;
        if ( pirq < 0 )
            pirq = highest_free_pirq(d);
        if ( pirq < 0 )
            rc = -ENOSPC;
    }
    else if ( pirq >= (int)d->arch.nr_pirqs )
        rc = -EINVAL;
    /*
     * The GSI has another PIRQ, or the PIRQ another GSI. Xen says
     * -EEXIST for the first and, oddly, 0 without mapping for the
     * second; here both are -EEXIST, so a caller never believes in a
     * mapping that is not there.
     */
    else if ( (mapped >= 0 && mapped != pirq) ||
              d->arch.pirqs[pirq].msi >= 0 ||
              (d->arch.pirqs[pirq].gsi >= 0 &&
               d->arch.pirqs[pirq].gsi != gsi) )
        rc = -EEXIST;
    /* Then, as Xen, the access check (IRQ 0 never; an unmapped IRQ no more). */
    if ( !rc && !test_bit(index, d->arch.irq_access) )
        rc = -EPERM;
    if ( !rc )
    {
        d->arch.pirqs[pirq].gsi = gsi;
        d->arch.pirqs[pirq].irq = index;
        *pirq_p = pirq;
    }
    spin_unlock(&d->event_lock);

    return rc;
}

/*
 * One MSI or MSI-X message (asm/msi.h). Xen's order of checks: the
 * index, the PIRQ, then the device. The PIRQ, if not given, is the
 * highest free one above the GSIs', as Xen's.
 */
static int map_msi(struct domain *d, int index, int *pirq_p,
                   const struct msi_request *r)
{
    int pirq = *pirq_p, slot, rc = 0;

    /* Xen takes an index as an MSI IRQ of its own; there are none here. */
    if ( index != -1 )
        return -EINVAL;

    spin_lock(&d->event_lock);
    if ( pirq < 0 )
    {
        pirq = highest_free_pirq(d);
        if ( pirq < 0 )
            rc = -ENOSPC;
    }
    else if ( pirq >= (int)d->arch.nr_pirqs )
        rc = -EINVAL;
    /* Xen says 0 and maps nothing; -EEXIST as for GSIs (map_gsi()). */
    else if ( !pirq_free(&d->arch.pirqs[pirq]) )
        rc = -EEXIST;
    if ( !rc )
    {
        slot = msi_map(d, r);
        if ( slot < 0 )
            rc = slot;
        else
        {
            d->arch.pirqs[pirq].msi = slot;
            *pirq_p = pirq;
        }
    }
    spin_unlock(&d->event_lock);

    return rc;
}

static long map_pirq(struct physdev_map_pirq *m)
{
    struct msi_request r = {
        .bus = m->bus, .devfn = m->devfn, .entry = m->entry_nr,
        .table_base = m->table_base, .msix = m->table_base != 0,
    };
    struct domain *d;
    int rc = pirq_target(m->domid, &d);

    if ( rc )
        return rc;
    switch ( m->type )
    {
    case MAP_PIRQ_TYPE_GSI:
        return map_gsi(d, m->index, &m->pirq);

    case MAP_PIRQ_TYPE_MULTI_MSI:
        /* Xen's checks; more than one vector needs interrupt remapping. */
        if ( m->table_base )
            return -EINVAL;
        if ( m->entry_nr <= 0 || m->entry_nr > 32 )
            return -EDOM;
        if ( m->entry_nr != 1 )
            return -EOPNOTSUPP;
        r.seg = (uint32_t)m->bus >> 16;
        r.entry = 0;
        return map_msi(d, -1, &m->pirq, &r);

    case MAP_PIRQ_TYPE_MSI_SEG:
        r.seg = (uint32_t)m->bus >> 16;
        /* fall through */
    case MAP_PIRQ_TYPE_MSI:
        return map_msi(d, m->index, &m->pirq, &r);

    default:
        return -EINVAL;
    }
}

static long unmap_pirq(const struct physdev_unmap_pirq *u)
{
    struct domain *d;
    struct pirq *p;
    int rc = pirq_target(u->domid, &d);

    if ( rc )
        return rc;
    if ( u->pirq < 0 || u->pirq >= (int)d->arch.nr_pirqs )
        return -EINVAL;
    spin_lock(&d->event_lock);
    p = &d->arch.pirqs[u->pirq];
    if ( !pirq_mapped(p) )
        rc = -EINVAL;
    else
    {
        if ( p->gsi >= 0 )
            clear_bit(p->irq, d->arch.irq_access);
        /* A bound PIRQ goes dead; its port stays bound until closed. */
        unmap_one(d, p);
    }
    spin_unlock(&d->event_lock);

    return rc;
}

static long pirq_eoi(struct domain *d, unsigned int pirq)
{
    const struct pirq *p;
    long rc = 0;

    if ( pirq >= d->arch.nr_pirqs )
        return -EINVAL;
    spin_lock(&d->event_lock);
    p = &d->arch.pirqs[pirq];
    if ( pirq_free(p) )
        rc = -EINVAL;
    /* A message owes no EOI (it is edge); a GSI may be waiting for it. */
    else if ( p->live && p->msi < 0 )
        irq_guest_eoi(p->gsi, d);
    spin_unlock(&d->event_lock);

    return rc;
}

static long register_eoi_map(struct domain *d, unsigned long gmfn)
{
    struct page_info *pg;
    long rc = 0;

    /* A PV guest's frame numbers are machine frames. */
    if ( !mfn_valid(_mfn(gmfn)) )
        return -EINVAL;
    pg = mfn_to_page(_mfn(gmfn));
    if ( !get_page_and_type(pg, d, PGT_writable_page) )
        return -EINVAL;
    spin_lock(&d->event_lock);
    if ( !mfn_eq(d->arch.pirq_eoi_mfn, INVALID_MFN) )
        rc = -EBUSY;
    else
        d->arch.pirq_eoi_mfn = _mfn(gmfn);
    spin_unlock(&d->event_lock);
    if ( rc )
        put_page_and_type(pg);

    return rc;
}

static long setup_gsi(const struct physdev_setup_gsi *s)
{
    if ( s->gsi < 0 || s->gsi >= (int)irq_nr_gsis() )
        return -EINVAL;
    if ( !current->domain->is_privileged )
        return -EPERM;

    return irq_setup_gsi(s->gsi, s->triggering, s->polarity);
}

/* Argument in, op, out again if copy_out says. */
#define WITH_ARG(type, op, copy_out) guest_struct_op(type, arg, op, copy_out)

long do_physdev_op(unsigned long cmd, unsigned long arg)
{
    struct domain *d = current->domain;

    switch ( cmd )
    {
    case PHYSDEVOP_set_iopl:
    {
        struct physdev_set_iopl s;

        /*
         * Any PV domain may set it, as in Xen; a domU's ports stay
         * refused whatever it says (emul-priv-op.c's io_allowed()), as
         * Xen's empty I/O port range for a domU does.
         */
        if ( copy_from_guest_va(&s, arg, sizeof(s)) )
            return -EFAULT;
        if ( s.iopl > 3 )
            return -EINVAL;
        current->arch.iopl = s.iopl;
        return 0;
    }

    case PHYSDEVOP_map_pirq:
        /* Xen copies the argument back whatever the outcome. */
        return WITH_ARG(struct physdev_map_pirq, map_pirq, true);

    case PHYSDEVOP_unmap_pirq:
        return WITH_ARG(struct physdev_unmap_pirq, unmap_pirq, false);

    case PHYSDEVOP_setup_gsi:
        return WITH_ARG(struct physdev_setup_gsi, setup_gsi, false);

    case PHYSDEVOP_eoi:
    {
        struct physdev_eoi e;

        if ( copy_from_guest_va(&e, arg, sizeof(e)) )
            return -EFAULT;
        return pirq_eoi(d, e.irq);
    }

    case PHYSDEVOP_irq_status_query:
    {
        struct physdev_irq_status_query q;

        if ( copy_from_guest_va(&q, arg, sizeof(q)) )
            return -EFAULT;
        if ( q.irq >= d->arch.nr_pirqs )
            return -EINVAL;
        /*
         * Xen always says "needs EOI" (a guest without the EOI bitmap
         * must EOI every PIRQ), and "shared" never here: one domain a
         * line.
         */
        q.flags = XENIRQSTAT_needs_eoi;
        return copy_to_guest_va(arg, &q, sizeof(q)) ? -EFAULT : 0;
    }

    case PHYSDEVOP_pirq_eoi_gmfn_v2:
    {
        struct physdev_pirq_eoi_gmfn g;

        if ( copy_from_guest_va(&g, arg, sizeof(g)) )
            return -EFAULT;
        return register_eoi_map(d, g.gmfn);
    }

    case PHYSDEVOP_apic_read:
    case PHYSDEVOP_apic_write:
    {
        struct physdev_apic a;
        int apic;

        if ( copy_from_guest_va(&a, arg, sizeof(a)) )
            return -EFAULT;
        if ( !d->is_privileged )
            return -EPERM;
        apic = io_apic_by_address(a.apic_physbase);
        if ( apic < 0 )
            return apic;
        if ( cmd == PHYSDEVOP_apic_write )
            return -EPERM;
        a.value = io_apic_read(apic, a.reg & 0xff);
        return copy_to_guest_va(arg, &a, sizeof(a)) ? -EFAULT : 0;
    }

    case PHYSDEVOP_alloc_irq_vector:
    {
        struct physdev_irq i;

        if ( copy_from_guest_va(&i, arg, sizeof(i)) )
            return -EFAULT;
        if ( !d->is_privileged )
            return -EPERM;
        /* Vectors are the hypervisor's: Xen hands the IRQ back as one. */
        i.vector = i.irq;
        return copy_to_guest_va(arg, &i, sizeof(i)) ? -EFAULT : 0;
    }

    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_remove:
    {
        struct physdev_manage_pci m;

        if ( copy_from_guest_va(&m, arg, sizeof(m)) )
            return -EFAULT;
        return d->is_privileged ? 0 : -EPERM;
    }

    case PHYSDEVOP_manage_pci_add_ext:
    {
        struct physdev_manage_pci_ext m;

        if ( copy_from_guest_va(&m, arg, sizeof(m)) )
            return -EFAULT;
        if ( m.is_extfn > 1 || m.is_virtfn > 1 )
            return -EINVAL;
        return d->is_privileged ? 0 : -EPERM;
    }

    case PHYSDEVOP_pci_device_add:
    {
        struct physdev_pci_device_add a;

        if ( copy_from_guest_va(&a, arg, sizeof(a)) )
            return -EFAULT;
        return d->is_privileged ? 0 : -EPERM;
    }

    case PHYSDEVOP_pci_device_remove:
    {
        struct physdev_pci_device p;

        if ( copy_from_guest_va(&p, arg, sizeof(p)) )
            return -EFAULT;
        return d->is_privileged ? 0 : -EPERM;
    }

    case PHYSDEVOP_pci_mmcfg_reserved:
    {
        struct physdev_pci_mmcfg_reserved r;

        /* Xen's order: the privilege, then the argument. */
        if ( !d->is_privileged )
            return -EPERM;
        if ( copy_from_guest_va(&r, arg, sizeof(r)) )
            return -EFAULT;
        return mmcfg_reserved(&r);
    }

    default:
        return -ENOSYS;
    }
}
