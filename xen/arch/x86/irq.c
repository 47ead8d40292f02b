/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device interrupts for guests: the hypervisor routes each GSI a guest
 * uses to a vector of its own and turns the interrupt into an event on
 * the port the guest bound (asm/irq.h has the rules).
 *
 * A line goes to CPU 0 until the guest binds its port to a vCPU, then to
 * the CPU that vCPU runs on at that moment (Xen's PIRQ affinity). The
 * handler runs there with interrupts off, whatever that CPU was doing;
 * the event wakes the bound vCPU wherever it runs now, at the cost of
 * an IPI if it has moved since. The guest vectors are also handed out
 * here, to msi.c's messages too.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/init.h>
#include <xen/keyhandler.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <asm/apic.h>
#include <asm/io_apic.h>
#include <asm/irq.h>
#include <asm/msi.h>
#include <asm/smp.h>
#include <asm/traps.h>

struct gsi_state {
    uint8_t vector;          /* 0: not set up */
    bool level;
    bool active_low;
    bool in_flight;          /* level: masked until the guest's EOI */
    struct domain *guest;    /* bound to, or NULL */
    evtchn_port_t port;      /* the guest's port for it */
    unsigned long count;     /* interrupts taken while set up */
};

static struct gsi_state gsis[NR_GSIS];
/* The GSI each guest vector serves (valid where gsis[].vector says so). */
static uint16_t vector_gsi[256];
/* Guest vectors in use: a GSI's for good, an MSI's until it is unmapped. */
static unsigned long vectors_used[256 / BITS_PER_LONG];
static DEFINE_SPINLOCK(irq_lock);

/* Under irq_lock: a free guest vector, now handled by handler, or 0. */
static unsigned int alloc_vector_locked(intr_handler_t handler)
{
    unsigned int v;

    for ( v = GUEST_IRQ_VECTOR_FIRST; v <= GUEST_IRQ_VECTOR_LAST; v++ )
        if ( !test_and_set_bit(v, vectors_used) )
        {
            set_intr_handler(v, handler);
            return v;
        }

    return 0;
}

unsigned int irq_alloc_vector(intr_handler_t handler)
{
    unsigned long flags;
    unsigned int v;

    spin_lock_irqsave(&irq_lock, flags);
    v = alloc_vector_locked(handler);
    spin_unlock_irqrestore(&irq_lock, flags);

    return v;
}

void irq_free_vector(unsigned int vector)
{
    unsigned long flags;

    ASSERT(vector >= GUEST_IRQ_VECTOR_FIRST &&
           vector <= GUEST_IRQ_VECTOR_LAST);
    spin_lock_irqsave(&irq_lock, flags);
    ASSERT(test_bit(vector, vectors_used));
    /*
     * The handler stays: a message already on its way finds the owner's
     * handler, which drops what it does not know, and the next owner
     * replaces it.
     */
    clear_bit(vector, vectors_used);
    spin_unlock_irqrestore(&irq_lock, flags);
}

unsigned int irq_nr_gsis(void)
{
    return min(io_apic_nr_gsis(), (unsigned int)NR_GSIS);
}

/* The hypervisor's own pin (its serial line)? */
static bool gsi_is_xens(unsigned int apic, unsigned int pin)
{
    return test_bit(pin, io_apics[apic].routed);
}

static void gsi_interrupt(struct cpu_user_regs *regs)
{
    unsigned int gsi = vector_gsi[regs->vector], apic, pin;
    struct gsi_state *g = &gsis[gsi];
    struct domain *d;

    ASSERT(gsi < NR_GSIS && g->vector == regs->vector);
    spin_lock(&irq_lock);
    g->count++;
    d = g->guest;
    /*
     * Nobody to tell (unbound while it was on its way): keep it quiet.
     * A level line also waits, masked, for the guest's EOI. Masking
     * comes before the EOI so the line cannot come straight back.
     */
    if ( (!d || g->level) && !io_apic_gsi_pin(gsi, &apic, &pin) )
    {
        io_apic_set_masked(apic, pin, true);
        g->in_flight = d != NULL;
    }
    apic_eoi();
    if ( d )
        evtchn_notify_port(d, g->port);
    spin_unlock(&irq_lock);
}

/* Under irq_lock: gives gsi a vector and writes its entry, masked. */
static int setup_locked(unsigned int gsi, bool level, bool active_low)
{
    struct gsi_state *g = &gsis[gsi];
    uint32_t dest = x86_cpu_to_apicid[0];
    unsigned int apic, pin;
    unsigned int vector;
    uint64_t rte;

    if ( io_apic_gsi_pin(gsi, &apic, &pin) )
        return -EINVAL;
    if ( g->vector || gsi_is_xens(apic, pin) )
        return -EEXIST;
    /* Without interrupt remapping an entry names an 8-bit APIC ID. */
    if ( dest > 0xff )
        return -ERANGE;
    /* The handler reads vector_gsi[] only once the pin is unmasked. */
    vector = alloc_vector_locked(gsi_interrupt);
    if ( !vector )
        return -ENOSPC;

    g->vector = vector;
    g->level = level;
    g->active_low = active_low;
    vector_gsi[g->vector] = gsi;

    rte = g->vector | IO_APIC_RTE_MASKED |
          ((uint64_t)dest << IO_APIC_RTE_DEST_SHIFT);
    if ( level )
        rte |= IO_APIC_RTE_LEVEL;
    if ( active_low )
        rte |= IO_APIC_RTE_ACTIVE_LOW;
    io_apic_write_rte(apic, pin, rte);

    return 0;
}

int irq_setup_gsi(unsigned int gsi, bool level, bool active_low)
{
    unsigned long flags;
    int rc;

    if ( gsi >= irq_nr_gsis() )
        return -EINVAL;
    spin_lock_irqsave(&irq_lock, flags);
    rc = setup_locked(gsi, level, active_low);
    spin_unlock_irqrestore(&irq_lock, flags);

    return rc;
}

/* The ISA IRQ whose line is gsi, or -1 (a PCI line, say). */
static int gsi_isa_irq(unsigned int gsi, bool *level, bool *active_low)
{
    unsigned int irq;

    for ( irq = 0; irq < 16; irq++ )
        if ( io_apic_isa_irq_gsi(irq, level, active_low) == gsi )
            return irq;

    return -1;
}

int irq_guest_bind(unsigned int gsi, struct domain *d, evtchn_port_t port,
                   bool *level)
{
    struct gsi_state *g;
    unsigned int apic, pin;
    unsigned long flags;
    bool lvl = true, low = true;
    int rc = 0;

    if ( gsi >= irq_nr_gsis() || io_apic_gsi_pin(gsi, &apic, &pin) )
        return -EINVAL;
    g = &gsis[gsi];
    if ( gsi_is_xens(apic, pin) )
        return -EBUSY;
    /* What the bus says, unless the guest said otherwise with setup_gsi. */
    if ( gsi_isa_irq(gsi, &lvl, &low) < 0 )
        lvl = low = true;

    spin_lock_irqsave(&irq_lock, flags);
    if ( g->guest )
        rc = -EBUSY;
    else if ( !g->vector )
        rc = setup_locked(gsi, lvl, low);
    if ( !rc )
    {
        g->guest = d;
        g->port = port;
        g->in_flight = false;
        *level = g->level;
        io_apic_set_masked(apic, pin, false);
    }
    spin_unlock_irqrestore(&irq_lock, flags);

    return rc;
}

/* Under irq_lock: is gsi d's? Then its IO-APIC pin too. */
static bool guest_pin_locked(unsigned int gsi, const struct domain *d,
                             unsigned int *apic, unsigned int *pin)
{
    ASSERT(gsi < NR_GSIS);
    return gsis[gsi].guest == d && !io_apic_gsi_pin(gsi, apic, pin);
}

void irq_guest_unbind(unsigned int gsi, const struct domain *d)
{
    struct gsi_state *g = &gsis[gsi];
    unsigned int apic, pin;
    unsigned long flags;

    spin_lock_irqsave(&irq_lock, flags);
    ASSERT(g->guest == d);
    if ( guest_pin_locked(gsi, d, &apic, &pin) )
    {
        io_apic_set_masked(apic, pin, true);
        g->guest = NULL;
        g->port = 0;
        g->in_flight = false;
    }
    spin_unlock_irqrestore(&irq_lock, flags);
}

void irq_guest_set_cpu(unsigned int gsi, const struct domain *d,
                       unsigned int cpu)
{
    uint64_t dest = x86_cpu_to_apicid[cpu], rte;
    unsigned int apic, pin;
    unsigned long flags;

    if ( dest > 0xff || !cpu_online(cpu) )
        return;
    spin_lock_irqsave(&irq_lock, flags);
    /* The mask bit read back is kept: a level line may await its EOI. */
    if ( guest_pin_locked(gsi, d, &apic, &pin) )
    {
        rte = io_apic_read_rte(apic, pin);
        rte &= ~(0xffULL << IO_APIC_RTE_DEST_SHIFT);
        io_apic_write_rte(apic, pin, rte | dest << IO_APIC_RTE_DEST_SHIFT);
    }
    spin_unlock_irqrestore(&irq_lock, flags);
}

void irq_guest_eoi(unsigned int gsi, const struct domain *d)
{
    struct gsi_state *g = &gsis[gsi];
    unsigned int apic, pin;
    unsigned long flags;

    spin_lock_irqsave(&irq_lock, flags);
    if ( guest_pin_locked(gsi, d, &apic, &pin) && g->in_flight )
    {
        g->in_flight = false;
        io_apic_set_masked(apic, pin, false);
    }
    spin_unlock_irqrestore(&irq_lock, flags);
}

static void dump_irqs(unsigned char key)
{
    unsigned int gsi, apic, pin;

    printk("GSIs set up for guests:\n");
    for ( gsi = 0; gsi < irq_nr_gsis(); gsi++ )
    {
        const struct gsi_state *g = &gsis[gsi];
        uint64_t rte;

        if ( !g->vector || io_apic_gsi_pin(gsi, &apic, &pin) )
            continue;
        rte = io_apic_read_rte(apic, pin);
        printk("  GSI %u: vector %#x, %s, active %s, %lu interrupts, %s, "
               "APIC ID %u",
               gsi, g->vector, g->level ? "level" : "edge",
               g->active_low ? "low" : "high", g->count,
               rte & IO_APIC_RTE_MASKED ? "masked" : "unmasked",
               (unsigned int)(rte >> IO_APIC_RTE_DEST_SHIFT));
        if ( g->guest )
            printk(", d%u port %u%s", g->guest->domain_id, g->port,
                   g->in_flight ? ", waiting for its EOI" : "");
        printk("\n");
    }
    msi_dump();
}

void __init irq_init(void)
{
    register_keyhandler('i', dump_irqs,
                        "dump the GSIs and MSIs routed for guests");
}
