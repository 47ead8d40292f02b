/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physdev_op's PIRQ calls and EVTCHNOP_bind_pirq, as dom0 and as a domU:
 * mapping GSIs to PIRQs (the PIRQ Xen picks, the ones it refuses),
 * setup_gsi once only, binding a PIRQ to a port (its status, -EEXIST,
 * closing it), the EOI bitmap bits a bind writes (set for a level line,
 * clear for an edge one), eoi and irq_status_query, apic_read of the
 * IO-APIC's version register, alloc_irq_vector, and a domU's refusals;
 * MSI and MSI-X PIRQs: the refusals, and what the hypervisor programs
 * (the message in the device, MSI-X table frames read-only for dom0).
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
#define EDOM         33
#define PCI_CAP_MSI  0x05
#define PCI_CAP_MSIX 0x11
#define NO_BUS       0x40           /* q35 has bus 0 only */
#define NO_DEVFN     (0x1e << 3 | 7)

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

/* The PIRQ an MSI or MSI-X message got, or -errno. */
static long map_msi(domid_t dom, int type, int bus, int devfn, int entry,
                    uint64_t table_base, int pirq)
{
    struct physdev_map_pirq m = {
        .domid = dom, .type = type, .index = -1, .pirq = pirq, .bus = bus,
        .devfn = devfn, .entry_nr = entry, .table_base = table_base,
    };
    long rc = physdev(PHYSDEVOP_map_pirq, &m);

    return rc ?: m.pirq;
}

/* Config space of bus 0 through ports 0xCF8/0xCFC (dom0's I/O ports). */
static uint32_t pci_read32(unsigned int devfn, unsigned int reg)
{
    outl(0xcf8, 0x80000000U | devfn << 8 | reg);
    return inl(0xcfc);
}

static void pci_write16(unsigned int devfn, unsigned int reg, uint16_t v)
{
    outl(0xcf8, 0x80000000U | devfn << 8 | (reg & ~3));
    asm volatile ( "outw %0, %1" :: "a" (v),
                   "Nd" ((uint16_t)(0xcfc + (reg & 2))) );
}

/* The offset of capability id of bus 0's devfn, 0 if none or no device. */
static unsigned int pci_cap(unsigned int devfn, unsigned int id)
{
    unsigned int pos, ttl = 48;

    if ( (pci_read32(devfn, 0) & 0xffff) == 0xffff ||
         !(pci_read32(devfn, 4) & (0x10 << 16)) )
        return 0;
    for ( pos = pci_read32(devfn, 0x34) & 0xfc; pos >= 0x40 && ttl--;
          pos = (pci_read32(devfn, pos) >> 8) & 0xfc )
        if ( (pci_read32(devfn, pos) & 0xff) == id )
            return pos;

    return 0;
}

/* The first function of bus 0 with capability id (one without: !id). */
static int pci_find(unsigned int id, bool with)
{
    unsigned int devfn;

    for ( devfn = 0; devfn < 256; devfn++ )
        if ( (pci_read32(devfn, 0) & 0xffff) != 0xffff &&
             !!pci_cap(devfn, id) == with )
            return devfn;

    return -1;
}

/*
 * Tells the hypervisor about bus 0's devfn, as Linux does for every
 * device: Xen without an IOMMU knows only the devices dom0 announced,
 * and refuses MSI for any other (-ENODEV).
 */
static void announce(unsigned int devfn)
{
    struct physdev_pci_device_add add = { .seg = 0, .bus = 0,
                                          .devfn = devfn };

    EXPECT_OK(physdev(PHYSDEVOP_pci_device_add, &add));
}

static void need_ports(void)
{
    struct physdev_set_iopl io = { .iopl = 3 };

    if ( physdev(PHYSDEVOP_set_iopl, &io) )
        check_abort();
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
    /* Its own device's MSI (it has none; no config space either). */
    EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MSI_SEG, 0, 0x1f << 3 | 2,
                       0, 0, -1), EPERM);
}

/*
 * Refusals, in Xen's order: the domain, the index (an MSI IRQ of Xen's
 * own: none here), multi-message limits, the PIRQ, then the device.
 */
PVTEST(physdev_msi_refused)
{
    int plain;

    need_dom0();
    need_ports();
    plain = pci_find(PCI_CAP_MSI, false);
    EXPECT_ERR(map_msi(NO_DOMAIN, MAP_PIRQ_TYPE_MSI_SEG, 0, 0, 0, 0, -1),
               ESRCH);
    /* No device there: a bus that does not exist, a slot that is empty. */
    EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MSI_SEG, NO_BUS, 0, 0, 0, -1),
               ENODEV);
    EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MSI, 0, NO_DEVFN, 0, 0, -1),
               ENODEV);
    /* A device with no MSI capability (q35's host bridge, say). */
    expect(plain >= 0, "no PCI function without MSI");
    if ( plain >= 0 )
    {
        announce(plain);
        EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MSI_SEG, 0, plain, 0, 0,
                           -1), ENODEV);
        /* Asked as MSI-X (a table_base): no MSI-X capability either. */
        if ( !pci_cap(plain, PCI_CAP_MSIX) )
            EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MSI_SEG, 0, plain,
                               0, 0xfe000000, -1), ENODEV);
    }
    /* Multi-message: no table, 1 to 32 vectors, one without remapping. */
    EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MULTI_MSI, 0, 0, 1,
                       0xfe000000, -1), EINVAL);
    EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MULTI_MSI, 0, 0, 0, 0, -1),
               EDOM);
    EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MULTI_MSI, 0, 0, 33, 0, -1),
               EDOM);
    EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MULTI_MSI, 0, 0, 2, 0, -1),
               EOPNOTSUPP);
}

/*
 * The first function of bus 0 with MSI (q35's default e1000e NIC, or its
 * AHCI controller): the hypervisor writes the message; a second map of
 * it is refused; unmapping turns MSI off, as Xen's pci_disable_msi(),
 * and leaves the message free for another map.
 */
PVTEST(physdev_msi)
{
    struct physdev_map_pirq m = { .domid = DOMID_SELF, .index = 5,
                                  .type = MAP_PIRQ_TYPE_MSI_SEG, .pirq = -1 };
    struct evtchn_status st;
    unsigned int pos, data_reg;
    uint32_t addr;
    long p, q, port;
    int dev;

    need_dom0();
    need_ports();
    dev = pci_find(PCI_CAP_MSI, true);
    if ( dev < 0 )
        check_skip("no PCI function with MSI");
    pos = pci_cap(dev, PCI_CAP_MSI);
    m.devfn = dev;
    announce(dev);
    /* An index is an MSI IRQ of Xen's own, and a GSI's is none. */
    EXPECT_ERR(physdev(PHYSDEVOP_map_pirq, &m), EINVAL);
    /* A PIRQ past the domain's. */
    EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MSI_SEG, 0, dev, 0, 0,
                       100000), EINVAL);

    p = map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MSI_SEG, 0, dev, 0, 0, -1);
    /* Xen's pick: the highest free PIRQ, above every GSI's. */
    expect(p >= 24, "MSI of %02x.%u: PIRQ %ld", dev >> 3, dev & 7, p);
    if ( p < 0 )
        check_abort();
    if ( on_xenon() )
        EXPECT_EQ(p, 255);
    /*
     * The message: the local APICs' window, a vector of the hypervisor's
     * (past the exceptions), fixed delivery, edge.
     */
    data_reg = pci_read32(dev, pos) & (0x80 << 16) ? pos + 12 : pos + 8;
    addr = pci_read32(dev, pos + 4);
    EXPECT_EQ(addr & 0xfff0000f, 0xfee00000);
    expect((pci_read32(dev, data_reg) & 0xff) >= 0x20,
           "MSI data %#x", pci_read32(dev, data_reg) & 0xffff);
    EXPECT_EQ(pci_read32(dev, data_reg) & 0x8700, 0);
    /* One message enabled. */
    EXPECT_EQ((pci_read32(dev, pos) >> 16) & 0x70, 0);

    if ( on_xenon() )
    {
        /* Xen would reprogram it for a second PIRQ; here it is refused. */
        EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MSI, 0, dev, 0, 0, -1),
                   EEXIST);
        /* A PIRQ taken by a message is not a GSI's to have. */
        EXPECT_ERR(map_gsi(DOMID_SELF, 22, p), EEXIST);
    }

    /* dom0 turns MSI on itself, as Linux does after map_pirq. */
    pci_write16(dev, pos + 2, (pci_read32(dev, pos) >> 16) | 1);
    EXPECT_EQ((pci_read32(dev, pos) >> 16) & 1, 1);

    /* Bound: a PIRQ port; an edge message owes no EOI (bit clear). */
    port = bind_pirq(p);
    expect(port > 0, "bind_pirq(%ld): %ld", p, port);
    if ( port > 0 )
    {
        EXPECT_OK(port_status(port, &st));
        EXPECT_EQ(st.status, EVTCHNSTAT_pirq);
        EXPECT_EQ(st.u.pirq, p);
        if ( on_xenon() )
            expect(!bitmap_bit(p), "MSI PIRQ %ld: EOI bit set", p);
        EXPECT_EQ(status_query(p), XENIRQSTAT_needs_eoi);
        EXPECT_OK(eoi(p));
        EXPECT_ERR(bind_pirq(p), EEXIST);
    }

    /* Unmapped while bound: the port stays until closed, MSI is off. */
    EXPECT_OK(unmap(DOMID_SELF, p));
    EXPECT_ERR(unmap(DOMID_SELF, p), EINVAL);
    EXPECT_EQ((pci_read32(dev, pos) >> 16) & 1, 0);
    if ( port > 0 )
    {
        EXPECT_OK(port_status(port, &st));
        EXPECT_EQ(st.status, EVTCHNSTAT_pirq);
        EXPECT_OK(close_port(port));
    }

    /* Unlike a GSI, a message may be mapped again. */
    q = map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MULTI_MSI, 0, dev, 1, 0, -1);
    expect(q >= 24, "MSI of %02x.%u again: %ld", dev >> 3, dev & 7, q);
    if ( q >= 0 )
        EXPECT_OK(unmap(DOMID_SELF, q));
}

/*
 * An MSI-X function (q35's default e1000e NIC, if QEMU added it): the
 * table entry is written, the entry past the table refused, and while
 * an entry is mapped dom0 maps the table's frame read-only whatever it
 * asks for (Xen's mmio_ro_ranges).
 */
PVTEST(physdev_msix)
{
    unsigned long va = scratch_page(), mfn = va_to_mfn(va);
    uint64_t own = read_pte(va, 1), table, pte;
    uint32_t ctrl, bir_off, bar;
    unsigned int pos, nr;
    volatile uint32_t *ent;
    long p;
    int dev;

    need_dom0();
    need_ports();
    dev = pci_find(PCI_CAP_MSIX, true);
    if ( dev < 0 )
        check_skip("no PCI function with MSI-X");
    pos = pci_cap(dev, PCI_CAP_MSIX);
    announce(dev);
    ctrl = pci_read32(dev, pos) >> 16;
    nr = (ctrl & 0x7ff) + 1;
    bir_off = pci_read32(dev, pos + 4);
    bar = pci_read32(dev, 0x10 + 4 * (bir_off & 7));
    table = (bar & ~0xfULL) + (bir_off & ~7U);
    if ( (bar & 6) == 4 )
        table += (uint64_t)pci_read32(dev, 0x14 + 4 * (bir_off & 7)) << 32;

    EXPECT_ERR(map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MSI_SEG, 0, dev, nr,
                       table & ~0xfffULL, -1), EINVAL);
    p = map_msi(DOMID_SELF, MAP_PIRQ_TYPE_MSI_SEG, 0, dev, 0,
                table & ~0xfffULL, -1);
    expect(p >= 24, "MSI-X of %02x.%u: PIRQ %ld", dev >> 3, dev & 7, p);
    if ( p < 0 )
        check_abort();

    /* Asked writable, the table's frame is mapped read-only. */
    EXPECT_OK(HYPERVISOR_update_va_mapping(va, (table & ~0xfffULL) | 0x67,
                                           UVMF_INVLPG));
    pte = read_pte(va, 1);
    EXPECT_EQ(pte & ~0xfffULL & ((1ULL << 52) - 1), table & ~0xfffULL);
    EXPECT_EQ(pte & 2, 0);
    /* Entry 0: the message, masked until bound. */
    ent = (volatile uint32_t *)(va + (table & 0xfff));
    EXPECT_EQ(ent[0] & 0xfff0000f, 0xfee00000);
    EXPECT_EQ(ent[1], 0);
    expect((ent[2] & 0xff) >= 0x20, "MSI-X data %#x", ent[2]);
    EXPECT_EQ(ent[3] & 1, 1);
    EXPECT_OK(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG));
    EXPECT_OK(unmap(DOMID_SELF, p));

    /* Unmapped, the table is dom0's to write again. */
    EXPECT_OK(HYPERVISOR_update_va_mapping(va, (table & ~0xfffULL) | 0x67,
                                           UVMF_INVLPG));
    if ( on_xenon() )
        EXPECT_EQ(read_pte(va, 1) & 2, 2);
    EXPECT_OK(HYPERVISOR_update_va_mapping(va, own, UVMF_INVLPG));
    EXPECT_EQ(va_to_mfn(va), mfn);
}
