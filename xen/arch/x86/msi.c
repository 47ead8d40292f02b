/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSI and MSI-X messages programmed for dom0's devices (asm/msi.h has
 * the rules). Register layouts are the PCI specification's; which
 * fields the hypervisor writes and which it leaves to dom0 follow Xen
 * 4.17's split with a PV hardware domain.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/vmap.h>
#include <asm/apic.h>
#include <asm/atomic.h>
#include <asm/irq.h>
#include <asm/msi.h>
#include <asm/physdev.h>
#include <asm/smp.h>

/* Config space: the header, and the two capabilities. */
#define PCI_VENDOR_ID           0x00
#define PCI_COMMAND             0x04
#define  PCI_COMMAND_MEMORY     0x0002
#define PCI_STATUS              0x06
#define  PCI_STATUS_CAP_LIST    0x0010
#define PCI_BAR0                0x10
#define PCI_CAP_PTR             0x34
#define PCI_CAP_ID_MSI          0x05
#define PCI_CAP_ID_MSIX         0x11

#define MSI_CTRL                2
#define  MSI_CTRL_ENABLE        0x0001
#define  MSI_CTRL_QSIZE         0x0070   /* messages enabled, log2 */
#define  MSI_CTRL_64BIT         0x0080
#define  MSI_CTRL_MASKBIT       0x0100
#define MSI_ADDR_LO             4
#define MSI_ADDR_HI             8        /* 64-bit only */
#define MSI_DATA(is64)          ((is64) ? 0x0c : 0x08)
#define MSI_MASK(is64)          ((is64) ? 0x10 : 0x0c)

#define MSIX_CTRL               2
#define  MSIX_CTRL_SIZE         0x07ff   /* entries - 1 */
#define  MSIX_CTRL_MASKALL      0x4000
#define  MSIX_CTRL_ENABLE       0x8000
#define MSIX_TABLE              4
#define MSIX_PBA                8
#define  MSIX_BIR               0x7
#define MSIX_ENTRY_SIZE         16
#define MSIX_ENTRY_ADDR_LO      0
#define MSIX_ENTRY_ADDR_HI      4
#define MSIX_ENTRY_DATA         8
#define MSIX_ENTRY_CTRL         12
#define  MSIX_ENTRY_MASKED      0x1

/* The message: fixed delivery to one APIC ID in physical mode, edge. */
#define MSI_ADDR_BASE           0xfee00000U
#define MSI_ADDR_DEST_SHIFT     12
#define MSI_DATA_ASSERT         0x4000

#define CFG_SIZE                4096

struct msi_slot {
    struct domain *owner;       /* mapped for; NULL: the slot is free */
    struct domain *guest;       /* bound to (the owner), or NULL */
    evtchn_port_t port;
    uint8_t vector;
    unsigned int cpu;
    uint16_t seg;
    uint8_t bus, devfn;
    uint8_t pos;                /* the capability's offset */
    bool msix;
    bool maskbit;               /* MSI: per-vector masking */
    bool is64;                  /* MSI: 64-bit address */
    unsigned int entry;         /* MSI-X */
    void __iomem *cfg;          /* the function's config space (MMCONFIG) */
    void __iomem *ent;          /* MSI-X: the table entry */
    unsigned long table_first, table_last, pba_first, pba_last;
    unsigned long count;        /* messages taken while mapped */
};

static struct msi_slot slots[NR_MSIS];
/* The slot a vector serves; stale entries are caught by slots[].vector. */
static int8_t vector_slot[256];
/* Delivery state (guest, port, count) and the masks. */
static DEFINE_SPINLOCK(msi_lock);

/*
 * Frame ranges of MSI-X tables and PBAs in use, for L1 validation, which
 * reads them without a lock. Entries [0, msix_ro_ranges) may be in use;
 * one is filled (first, then last) and emptied (last, then first) so that
 * a reader in between sees an empty range, never a wider one.
 */
static struct ro_range {
    unsigned long first, last;
    unsigned int refs;
} ro[2 * NR_MSIS];
unsigned int msix_ro_ranges;
static unsigned int cpu_msis[CONFIG_NR_CPUS];

static uint8_t cfg_read8(const struct msi_slot *s, unsigned int reg)
{
    return read_atomic((volatile uint8_t *)(s->cfg + reg));
}

static uint16_t cfg_read16(const struct msi_slot *s, unsigned int reg)
{
    return read_atomic((volatile uint16_t *)(s->cfg + reg));
}

static uint32_t cfg_read32(const struct msi_slot *s, unsigned int reg)
{
    return read_atomic((volatile uint32_t *)(s->cfg + reg));
}

static void cfg_write16(const struct msi_slot *s, unsigned int reg,
                        uint16_t v)
{
    write_atomic((volatile uint16_t *)(s->cfg + reg), v);
}

static void cfg_write32(const struct msi_slot *s, unsigned int reg,
                        uint32_t v)
{
    write_atomic((volatile uint32_t *)(s->cfg + reg), v);
}

static void ent_write(const struct msi_slot *s, unsigned int reg, uint32_t v)
{
    write_atomic((volatile uint32_t *)(s->ent + reg), v);
}

/* The offset of capability id, or 0. */
static unsigned int find_cap(const struct msi_slot *s, uint8_t id)
{
    unsigned int pos, ttl = 48;

    if ( !(cfg_read16(s, PCI_STATUS) & PCI_STATUS_CAP_LIST) )
        return 0;
    for ( pos = cfg_read8(s, PCI_CAP_PTR) & ~3; pos >= 0x40 && ttl--;
          pos = cfg_read8(s, pos + 1) & ~3 )
        if ( cfg_read8(s, pos) == id )
            return pos;

    return 0;
}

/* The memory BAR bir's address (0 for an I/O or absent one). */
static uint64_t bar_address(const struct msi_slot *s, unsigned int bir)
{
    unsigned int reg = PCI_BAR0 + 4 * bir;
    uint32_t lo;
    uint64_t a;

    if ( bir > 5 )
        return 0;
    lo = cfg_read32(s, reg);
    if ( lo & 1 )
        return 0;
    a = lo & ~0xfULL;
    if ( (lo & 6) == 4 && bir < 5 )
        a |= (uint64_t)cfg_read32(s, reg + 4) << 32;

    return a;
}

/* The online CPU with the fewest messages: lines spread over CPUs. */
static unsigned int pick_cpu(void)
{
    unsigned int cpu, best = 0;

    for_each_online_cpu ( cpu )
        if ( cpu_msis[cpu] < cpu_msis[best] && x86_cpu_to_apicid[cpu] <= 0xff )
            best = cpu;

    return best;
}

/* Under msi_lock. */
static void ro_get(unsigned long first, unsigned long last)
{
    unsigned int i, n = msix_ro_ranges, free = n;

    if ( first > last )
        return;
    for ( i = 0; i < n; i++ )
        if ( ro[i].refs && ro[i].first == first && ro[i].last == last )
        {
            ro[i].refs++;
            return;
        }
        else if ( !ro[i].refs && free == n )
            free = i;
    ASSERT(free < ARRAY_SIZE(ro));
    ro[free].refs = 1;
    write_atomic(&ro[free].first, first);
    smp_wmb();
    write_atomic(&ro[free].last, last);
    smp_wmb();
    if ( free == n )
        write_atomic(&msix_ro_ranges, n + 1);
}

/* Under msi_lock. */
static void ro_put(unsigned long first, unsigned long last)
{
    unsigned int i, n = msix_ro_ranges;

    if ( first > last )
        return;
    for ( i = 0; i < n; i++ )
        if ( ro[i].refs && ro[i].first == first && ro[i].last == last )
            break;
    ASSERT(i < n);
    if ( i == n || --ro[i].refs )
        return;
    write_atomic(&ro[i].last, 0);
    smp_wmb();
    write_atomic(&ro[i].first, 1);
    /* The last one gone: L1 validation is back to its fast path. */
    while ( n && !ro[n - 1].refs )
        n--;
    write_atomic(&msix_ro_ranges, n);
}

bool msix_ro_lookup(unsigned long mfn)
{
    unsigned int i, n = read_atomic(&msix_ro_ranges);

    for ( i = 0; i < n; i++ )
    {
        unsigned long first = read_atomic(&ro[i].first);

        smp_rmb();
        if ( mfn >= first && mfn <= read_atomic(&ro[i].last) )
            return true;
    }

    return false;
}

static void msi_interrupt(struct cpu_user_regs *regs)
{
    int i = read_atomic(&vector_slot[regs->vector]);
    struct domain *d = NULL;
    evtchn_port_t port = 0;

    spin_lock(&msi_lock);
    /* A message of an unmapped slot, still on its way, is dropped. */
    if ( i >= 0 && slots[i].vector == regs->vector && slots[i].owner )
    {
        slots[i].count++;
        d = slots[i].guest;
        port = slots[i].port;
    }
    apic_eoi();
    if ( d )
        evtchn_notify_port(d, port);
    spin_unlock(&msi_lock);
}

/* Under msi_lock, or before the slot is visible: the mask of s. */
static void set_masked(const struct msi_slot *s, bool masked)
{
    if ( s->msix )
        ent_write(s, MSIX_ENTRY_CTRL, masked ? MSIX_ENTRY_MASKED : 0);
    else if ( s->maskbit )
    {
        uint32_t m = cfg_read32(s, s->pos + MSI_MASK(s->is64));

        cfg_write32(s, s->pos + MSI_MASK(s->is64),
                    masked ? m | 1 : m & ~1U);
    }
}

static int find_msix(struct msi_slot *s, const struct msi_request *r)
{
    uint16_t ctrl = cfg_read16(s, s->pos + MSIX_CTRL);
    uint32_t table = cfg_read32(s, s->pos + MSIX_TABLE);
    uint32_t pba = cfg_read32(s, s->pos + MSIX_PBA);
    unsigned int n = (ctrl & MSIX_CTRL_SIZE) + 1;
    uint64_t base, pba_base;
    paddr_t pa;

    if ( r->entry >= n )
        return -EINVAL;
    if ( !(cfg_read16(s, PCI_COMMAND) & PCI_COMMAND_MEMORY) )
        return -ENXIO;
    /* As Xen: the BAR is believed, dom0's table_base only if it reads 0. */
    base = bar_address(s, table & MSIX_BIR);
    if ( base && base != r->table_base )
        printk(XENLOG_WARNING "%04x:%02x:%02x.%u: MSI-X table in BAR at "
               "%#lx, dom0 says %#lx\n", s->seg, s->bus, s->devfn >> 3,
               s->devfn & 7, (unsigned long)base,
               (unsigned long)r->table_base);
    if ( !base )
        base = r->table_base;
    base += table & ~MSIX_BIR;
    pba_base = bar_address(s, pba & MSIX_BIR);

    s->table_first = base >> PAGE_SHIFT;
    s->table_last = (base + n * MSIX_ENTRY_SIZE - 1) >> PAGE_SHIFT;
    /* No PBA where a BAR reads 0: no frame of it to protect either. */
    s->pba_first = 1;
    s->pba_last = 0;
    if ( pba_base )
    {
        pba_base += pba & ~MSIX_BIR;
        s->pba_first = pba_base >> PAGE_SHIFT;
        s->pba_last = (pba_base + DIV_ROUND_UP(n, 64) * 8 - 1) >> PAGE_SHIFT;
    }
    pa = base + r->entry * MSIX_ENTRY_SIZE;
    s->ent = ioremap(pa, MSIX_ENTRY_SIZE);

    return s->ent ? 0 : -ENOMEM;
}

/* Writes the message of s (masked, not yet visible to the handler). */
static void program(struct msi_slot *s)
{
    uint32_t addr = MSI_ADDR_BASE |
                    (x86_cpu_to_apicid[s->cpu] << MSI_ADDR_DEST_SHIFT);
    uint32_t data = MSI_DATA_ASSERT | s->vector;

    if ( s->msix )
    {
        uint16_t ctrl = cfg_read16(s, s->pos + MSIX_CTRL);

        /* Some devices answer on the table only with MSI-X enabled. */
        cfg_write16(s, s->pos + MSIX_CTRL,
                    ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
        set_masked(s, true);
        ent_write(s, MSIX_ENTRY_ADDR_LO, addr);
        ent_write(s, MSIX_ENTRY_ADDR_HI, 0);
        ent_write(s, MSIX_ENTRY_DATA, data);
        /* Enable and function mask stay dom0's, as it set them. */
        cfg_write16(s, s->pos + MSIX_CTRL, ctrl);
        return;
    }

    set_masked(s, true);
    cfg_write32(s, s->pos + MSI_ADDR_LO, addr);
    if ( s->is64 )
        cfg_write32(s, s->pos + MSI_ADDR_HI, 0);
    cfg_write16(s, s->pos + MSI_DATA(s->is64), data);
    /* One message enabled; MSI's enable bit is dom0's to set. */
    cfg_write16(s, s->pos + MSI_CTRL,
                cfg_read16(s, s->pos + MSI_CTRL) & ~MSI_CTRL_QSIZE);
}

static bool same_message(const struct msi_slot *a, const struct msi_slot *b)
{
    return a->seg == b->seg && a->bus == b->bus && a->devfn == b->devfn &&
           a->msix == b->msix && (!a->msix || a->entry == b->entry);
}

int msi_map(struct domain *d, const struct msi_request *r)
{
    struct msi_slot n = { .seg = r->seg, .bus = r->bus, .devfn = r->devfn,
                          .msix = r->msix, .entry = r->entry }, *s = NULL;
    unsigned long flags;
    paddr_t cfg;
    unsigned int i;
    int rc = physdev_mmcfg_bus(r->seg, r->bus, &cfg);

    ASSERT(spin_is_locked(&d->event_lock));
    if ( rc )
        return rc;
    n.cfg = ioremap(cfg + ((paddr_t)r->devfn << 12), CFG_SIZE);
    if ( !n.cfg )
        return -ENOMEM;
    rc = -ENODEV;
    if ( cfg_read16(&n, PCI_VENDOR_ID) == 0xffff )
        goto fail;
    n.pos = find_cap(&n, r->msix ? PCI_CAP_ID_MSIX : PCI_CAP_ID_MSI);
    if ( !n.pos )
        goto fail;
    if ( r->msix )
    {
        rc = find_msix(&n, r);
        if ( rc )
            goto fail;
    }
    else
    {
        uint16_t ctrl = cfg_read16(&n, n.pos + MSI_CTRL);

        n.is64 = ctrl & MSI_CTRL_64BIT;
        n.maskbit = ctrl & MSI_CTRL_MASKBIT;
    }

    /* Slots change only under msi_lock; readers of a free one skip it. */
    spin_lock_irqsave(&msi_lock, flags);
    rc = 0;
    for ( i = 0; i < NR_MSIS; i++ )
        if ( slots[i].owner && same_message(&slots[i], &n) )
            rc = -EEXIST;
        else if ( !slots[i].owner && !s )
            s = &slots[i];
    if ( !rc && !s )
        rc = -ENOSPC;
    if ( !rc )
    {
        /*
         * Claimed, and named for same_message(); without a vector the
         * handler and the dump still pass it by.
         */
        s->owner = d;
        s->seg = n.seg;
        s->bus = n.bus;
        s->devfn = n.devfn;
        s->msix = n.msix;
        s->entry = n.entry;
    }
    spin_unlock_irqrestore(&msi_lock, flags);
    if ( rc )
        goto fail;

    n.owner = d;
    n.vector = irq_alloc_vector(msi_interrupt);
    if ( !n.vector )
    {
        rc = -ENOSPC;
        spin_lock_irqsave(&msi_lock, flags);
        memset(s, 0, sizeof(*s));
        spin_unlock_irqrestore(&msi_lock, flags);
        goto fail;
    }
    n.cpu = pick_cpu();
    program(&n);

    spin_lock_irqsave(&msi_lock, flags);
    *s = n;
    cpu_msis[n.cpu]++;
    write_atomic(&vector_slot[n.vector], (int8_t)(s - slots));
    if ( n.msix )
    {
        ro_get(n.table_first, n.table_last);
        ro_get(n.pba_first, n.pba_last);
    }
    spin_unlock_irqrestore(&msi_lock, flags);

    return s - slots;

 fail:
    iounmap(n.ent);
    iounmap(n.cfg);
    return rc;
}

void msi_unmap(unsigned int slot, const struct domain *d)
{
    struct msi_slot *s = &slots[slot], old;
    unsigned long flags;

    ASSERT(slot < NR_MSIS);
    spin_lock_irqsave(&msi_lock, flags);
    ASSERT(s->owner == d);
    set_masked(s, true);
    old = *s;
    s->guest = NULL;
    s->port = 0;
    write_atomic(&vector_slot[s->vector], -1);
    cpu_msis[s->cpu]--;
    if ( s->msix )
    {
        ro_put(s->table_first, s->table_last);
        ro_put(s->pba_first, s->pba_last);
    }
    memset(s, 0, sizeof(*s));
    spin_unlock_irqrestore(&msi_lock, flags);

    /* As Xen's pci_disable_msi(): MSI goes off, an MSI-X entry masked. */
    if ( !old.msix )
        cfg_write16(&old, old.pos + MSI_CTRL,
                    cfg_read16(&old, old.pos + MSI_CTRL) & ~MSI_CTRL_ENABLE);
    irq_free_vector(old.vector);
    iounmap(old.ent);
    iounmap(old.cfg);
}

int msi_guest_bind(unsigned int slot, struct domain *d, evtchn_port_t port)
{
    struct msi_slot *s = &slots[slot];
    unsigned long flags;
    int rc = 0;

    ASSERT(slot < NR_MSIS);
    spin_lock_irqsave(&msi_lock, flags);
    ASSERT(s->owner == d);
    if ( s->guest )
        rc = -EBUSY;
    else
    {
        s->guest = d;
        s->port = port;
        set_masked(s, false);
    }
    spin_unlock_irqrestore(&msi_lock, flags);

    return rc;
}

void msi_guest_unbind(unsigned int slot, const struct domain *d)
{
    struct msi_slot *s = &slots[slot];
    unsigned long flags;

    ASSERT(slot < NR_MSIS);
    spin_lock_irqsave(&msi_lock, flags);
    ASSERT(s->owner == d && s->guest == d);
    set_masked(s, true);
    s->guest = NULL;
    s->port = 0;
    spin_unlock_irqrestore(&msi_lock, flags);
}

void msi_set_cpu(unsigned int slot, const struct domain *d, unsigned int cpu)
{
    struct msi_slot *s = &slots[slot];
    uint32_t addr = MSI_ADDR_BASE |
                    (x86_cpu_to_apicid[cpu] << MSI_ADDR_DEST_SHIFT);
    unsigned long flags;

    ASSERT(slot < NR_MSIS);
    if ( x86_cpu_to_apicid[cpu] > 0xff || !cpu_online(cpu) )
        return;
    spin_lock_irqsave(&msi_lock, flags);
    ASSERT(s->owner == d);
    if ( s->cpu != cpu )
    {
        cpu_msis[s->cpu]--;
        cpu_msis[cpu]++;
        s->cpu = cpu;
        /* An MSI-X entry may change only while masked; MSI's is one write. */
        if ( s->msix )
        {
            set_masked(s, true);
            ent_write(s, MSIX_ENTRY_ADDR_LO, addr);
            set_masked(s, !s->guest);
        }
        else
            cfg_write32(s, s->pos + MSI_ADDR_LO, addr);
    }
    spin_unlock_irqrestore(&msi_lock, flags);
}

void msi_dump(void)
{
    unsigned int i;
    unsigned long flags;

    printk("MSIs mapped for guests:\n");
    spin_lock_irqsave(&msi_lock, flags);
    for ( i = 0; i < NR_MSIS; i++ )
    {
        const struct msi_slot *s = &slots[i];

        if ( !s->owner || !s->vector )
            continue;
        printk("  %s %04x:%02x:%02x.%u", s->msix ? "MSI-X" : "MSI", s->seg,
               s->bus, s->devfn >> 3, s->devfn & 7);
        if ( s->msix )
            printk(" entry %u", s->entry);
        printk(": vector %#x, CPU %u, %lu interrupts, d%u", s->vector,
               s->cpu, s->count, s->owner->domain_id);
        if ( s->guest )
            printk(" port %u", s->port);
        printk("\n");
    }
    spin_unlock_irqrestore(&msi_lock, flags);
}
