/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physdev_op's PIRQ calls and EVTCHNOP_bind_pirq, as dom0 and as a domU:
 * mapping GSIs to PIRQs (the PIRQ Xen picks, the ones it refuses),
 * setup_gsi once only, binding a PIRQ to a port (its status, -EEXIST,
 * closing it), the EOI bitmap bits a bind writes (set for a level line,
 * clear for an edge one), eoi and irq_status_query, apic_read of the
 * IO-APIC's version register, alloc_irq_vector, and a domU's refusals.
 *
 * The lines used are QEMU q35's: GSIs 20 and 21 (PCI lines no device of
 * the test machine drives) and ISA IRQ 3 (COM2's, absent). Everything
 * bound is closed and unmapped again; as in Xen, an unmapped line may
 * not be mapped again, so each check has a line of its own. The EOI
 * bitmap stays registered (there is no way back), on a page of its own.
 */
#include "pvkernel.h"

#define IOAPIC_BASE  0xfec00000UL   /* q35's one IO-APIC */
#define MAP_GSI      20
#define PCI_GSI      21
#define ISA_IRQ      3
#define NO_DOMAIN    1234

static unsigned long eoi_bitmap[PAGE_SIZE / sizeof(unsigned long)]
    __attribute__((aligned(PAGE_SIZE)));

static long physdev(unsigned int cmd, void *arg)
{
    return HYPERVISOR_physdev_op(cmd, arg);
}

/* The PIRQ the GSI (index) got, or -errno. */
static long map_gsi(domid_t dom, int index, int pirq)
{
    struct physdev_map_pirq m = {
        .domid = dom, .type = MAP_PIRQ_TYPE_GSI, .index = index,
        .pirq = pirq,
    };
    long rc = physdev(PHYSDEVOP_map_pirq, &m);

    return rc ?: m.pirq;
}

static long unmap(domid_t dom, int pirq)
{
    struct physdev_unmap_pirq u = { .domid = dom, .pirq = pirq };

    return physdev(PHYSDEVOP_unmap_pirq, &u);
}

static long setup_gsi(int gsi, unsigned int level, unsigned int low)
{
    struct physdev_setup_gsi s = { .gsi = gsi, .triggering = level,
                                   .polarity = low };

    return physdev(PHYSDEVOP_setup_gsi, &s);
}

static long eoi(uint32_t pirq)
{
    struct physdev_eoi e = { .irq = pirq };

    return physdev(PHYSDEVOP_eoi, &e);
}

/* The XENIRQSTAT_* flags, or -errno. */
static long status_query(uint32_t pirq)
{
    struct physdev_irq_status_query q = { .irq = pirq, .flags = ~0U };
    long rc = physdev(PHYSDEVOP_irq_status_query, &q);

    return rc ?: q.flags;
}

/* The port, or -errno. */
static long bind_pirq(uint32_t pirq)
{
    struct evtchn_bind_pirq b = { .pirq = pirq };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b);

    return rc ?: b.port;
}

static long close_port(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

static long port_status(evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = port;
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

static bool bitmap_bit(unsigned int n)
{
    return __atomic_load_n(&eoi_bitmap[n / 64], __ATOMIC_SEQ_CST) &
           (1UL << (n % 64));
}

/*
 * The line checks need dom0, and lines in the state boot left them in:
 * after a fuzz run (which calls physdev_op with random GSIs, triggers
 * and PIRQs) that state is whatever the fuzz made it.
 */
static void need_dom0(void)
{
    if ( !is_dom0() )
        check_skip("needs dom0");
    if ( option_set("fuzz") )
        check_skip("the fuzz has already set up interrupt lines");
}

PVTEST(physdev_map_pirq)
{
    struct physdev_map_pirq m = { .domid = DOMID_SELF, .type = 99 };
    long p;

    need_dom0();
    /* Out of range, the timer's IRQ 0, a type that does not exist. */
    EXPECT_ERR(map_gsi(DOMID_SELF, -1, -1), EINVAL);
    EXPECT_ERR(map_gsi(DOMID_SELF, 100000, -1), EINVAL);
    EXPECT_ERR(map_gsi(DOMID_SELF, 0, 0), EPERM);
    EXPECT_ERR(physdev(PHYSDEVOP_map_pirq, &m), EINVAL);
    EXPECT_ERR(map_gsi(NO_DOMAIN, MAP_GSI, -1), ESRCH);
    EXPECT_ERR(physdev(PHYSDEVOP_map_pirq, NULL), EFAULT);

    /* Xen's pick for a GSI with no PIRQ: the first free from 16 up. */
    p = map_gsi(DOMID_SELF, MAP_GSI, -1);
    EXPECT_EQ(p, 16);
    /* Asked again: the same one; another PIRQ for it: refused. */
    EXPECT_EQ(map_gsi(DOMID_SELF, MAP_GSI, -1), p);
    EXPECT_EQ(map_gsi(DOMID_SELF, MAP_GSI, 16), 16);
    EXPECT_ERR(map_gsi(DOMID_SELF, MAP_GSI, MAP_GSI), EEXIST);
    EXPECT_OK(unmap(DOMID_SELF, p));
    EXPECT_ERR(unmap(DOMID_SELF, p), EINVAL);
    EXPECT_ERR(unmap(DOMID_SELF, -1), EINVAL);
    EXPECT_ERR(unmap(NO_DOMAIN, p), ESRCH);
    /* Unmapping gave the line up: no access to it any more. */
    EXPECT_ERR(map_gsi(DOMID_SELF, MAP_GSI, MAP_GSI), EPERM);

    if ( on_xenon() )
    {
        /* MSIs are not offered yet: drivers fall back to INTx. */
        m.type = MAP_PIRQ_TYPE_MSI_SEG;
        m.index = m.pirq = -1;
        EXPECT_ERR(physdev(PHYSDEVOP_map_pirq, &m), EOPNOTSUPP);
    }
}

PVTEST(physdev_setup_gsi)
{
    need_dom0();
    EXPECT_ERR(setup_gsi(-1, 1, 1), EINVAL);
    EXPECT_ERR(setup_gsi(100000, 1, 1), EINVAL);
    /* A pin is programmed once; Linux takes -EEXIST as "done already". */
    EXPECT_OK(setup_gsi(PCI_GSI, 1, 1));
    EXPECT_ERR(setup_gsi(PCI_GSI, 1, 1), EEXIST);
    EXPECT_ERR(physdev(PHYSDEVOP_setup_gsi, NULL), EFAULT);
}

PVTEST(physdev_bind_pirq)
{
    struct physdev_pirq_eoi_gmfn g = {
        .gmfn = va_to_mfn((unsigned long)eoi_bitmap),
    };
    struct evtchn_status st;
    long lvl, edge, isa;

    need_dom0();
    /* Unmapped: no access; past the PIRQs there are: no such PIRQ. */
    EXPECT_ERR(bind_pirq(PCI_GSI), EPERM);
    EXPECT_ERR(bind_pirq(0x7fffffff), EINVAL);
    EXPECT_ERR(eoi(PCI_GSI), EINVAL);
    EXPECT_ERR(eoi(0x7fffffff), EINVAL);

    EXPECT_OK(physdev(PHYSDEVOP_pirq_eoi_gmfn_v2, &g));
    EXPECT_ERR(physdev(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), EBUSY);

    /* A level line (set up so by physdev_setup_gsi): bit set on bind. */
    EXPECT_EQ(map_gsi(DOMID_SELF, PCI_GSI, PCI_GSI), PCI_GSI);
    lvl = bind_pirq(PCI_GSI);
    expect(lvl > 0, "bind_pirq(%d): %ld", PCI_GSI, lvl);
    if ( lvl <= 0 )
        check_abort();
    EXPECT_ERR(bind_pirq(PCI_GSI), EEXIST);
    EXPECT_OK(port_status(lvl, &st));
    EXPECT_EQ(st.status, EVTCHNSTAT_pirq);
    EXPECT_EQ(st.u.pirq, PCI_GSI);
    EXPECT_EQ(st.vcpu, 0);
    expect(bitmap_bit(PCI_GSI), "level PIRQ %d: EOI bit clear", PCI_GSI);
    EXPECT_EQ(status_query(PCI_GSI), XENIRQSTAT_needs_eoi);
    EXPECT_OK(eoi(PCI_GSI));

    /* An edge ISA line: a bit the guest left set is cleared on bind. */
    __atomic_or_fetch(&eoi_bitmap[ISA_IRQ / 64], 1UL << (ISA_IRQ % 64),
                      __ATOMIC_SEQ_CST);
    isa = map_gsi(DOMID_SELF, ISA_IRQ, ISA_IRQ);
    EXPECT_EQ(isa, ISA_IRQ);
    edge = bind_pirq(ISA_IRQ);
    expect(edge > 0, "bind_pirq(%d): %ld", ISA_IRQ, edge);
    expect(!bitmap_bit(ISA_IRQ), "edge PIRQ %d: EOI bit set", ISA_IRQ);

    /* Closing unbinds; the PIRQ stays mapped and may be bound again. */
    EXPECT_OK(close_port(lvl));
    lvl = bind_pirq(PCI_GSI);
    expect(lvl > 0, "bind_pirq(%d) again: %ld", PCI_GSI, lvl);
    /* Unmapping a bound PIRQ leaves its port bound until closed. */
    EXPECT_OK(unmap(DOMID_SELF, PCI_GSI));
    EXPECT_OK(port_status(lvl, &st));
    EXPECT_EQ(st.status, EVTCHNSTAT_pirq);
    EXPECT_OK(close_port(lvl));
    if ( edge > 0 )
        EXPECT_OK(close_port(edge));
    EXPECT_OK(unmap(DOMID_SELF, ISA_IRQ));
    EXPECT_ERR(eoi(PCI_GSI), EINVAL);
}

PVTEST(physdev_apic_and_vectors)
{
    struct physdev_apic a = { .apic_physbase = IOAPIC_BASE, .reg = 1 };
    struct physdev_irq v = { .irq = 17 };

    need_dom0();
    /* The IO-APIC's version register: version 0x20, 24 pins on q35. */
    EXPECT_OK(physdev(PHYSDEVOP_apic_read, &a));
    EXPECT_EQ(a.value & 0xff, 0x20);
    EXPECT_EQ(((a.value >> 16) & 0xff) + 1, 24);
    a.apic_physbase = IOAPIC_BASE + PAGE_SIZE;
    EXPECT_ERR(physdev(PHYSDEVOP_apic_read, &a), EINVAL);
    if ( on_xenon() )
    {
        /* Xen would reprogram the pin; here the IO-APIC is not dom0's. */
        a.apic_physbase = IOAPIC_BASE;
        a.reg = 0x10 + 2 * PCI_GSI;
        a.value = 0x10000;
        EXPECT_ERR(physdev(PHYSDEVOP_apic_write, &a), EPERM);
    }

    /* A dummy in Xen: the vector is the IRQ handed back. */
    EXPECT_OK(physdev(PHYSDEVOP_alloc_irq_vector, &v));
    EXPECT_EQ(v.vector, 17);
}

PVTEST(physdev_pci_announcements)
{
    struct physdev_pci_device_add add = { .seg = 0, .bus = 0, .devfn = 0 };
    struct physdev_pci_mmcfg_reserved r = {
        .address = 0xb0000000, .segment = 0, .start_bus = 0,
        .end_bus = 255, .flags = XEN_PCI_MMCFG_RESERVED,
    };
    bool dom0 = is_dom0();

    /* The host bridge. */
    EXPECT_EQ(physdev(PHYSDEVOP_pci_device_add, &add), dom0 ? 0 : -EPERM);
    /*
     * q35's MMCONFIG as its MCFG describes it: known to Xenon. Xen 4.17
     * under QEMU does not use the MCFG and says -ENODEV.
     */
    if ( on_xenon() || !dom0 )
        EXPECT_EQ(physdev(PHYSDEVOP_pci_mmcfg_reserved, &r),
                  dom0 ? 0 : -EPERM);
    r.segment = 7;
    EXPECT_EQ(physdev(PHYSDEVOP_pci_mmcfg_reserved, &r),
              dom0 ? -ENODEV : -EPERM);
    r.flags = 2;
    EXPECT_EQ(physdev(PHYSDEVOP_pci_mmcfg_reserved, &r),
              dom0 ? -EINVAL : -EPERM);
    if ( on_xenon() && dom0 )
    {
        r.segment = 0;
        r.flags = XEN_PCI_MMCFG_RESERVED;
        r.address = 0xc0000000;
        EXPECT_ERR(physdev(PHYSDEVOP_pci_mmcfg_reserved, &r), EIO);
    }
}

PVTEST(physdev_domu_refused)
{
    struct physdev_apic a = { .apic_physbase = IOAPIC_BASE, .reg = 1 };
    struct physdev_irq v = { .irq = 17 };

    if ( is_dom0() )
        check_skip("needs a domU");
    EXPECT_ERR(map_gsi(DOMID_SELF, PCI_GSI, PCI_GSI), EPERM);
    EXPECT_ERR(setup_gsi(PCI_GSI, 1, 1), EPERM);
    EXPECT_ERR(physdev(PHYSDEVOP_apic_read, &a), EPERM);
    EXPECT_ERR(physdev(PHYSDEVOP_alloc_irq_vector, &v), EPERM);
    /* A domU has PIRQs (for passthrough), none of them mapped. */
    EXPECT_EQ(status_query(0), XENIRQSTAT_needs_eoi);
    EXPECT_ERR(eoi(0), EINVAL);
    EXPECT_ERR(bind_pirq(PCI_GSI), EPERM);
    EXPECT_ERR(status_query(0x7fffffff), EINVAL);
}
