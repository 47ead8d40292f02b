/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IO-APICs: found in the MADT, mapped for good, every pin masked.
 *
 * Firmware may leave pins routed (the boot loader's timer, a legacy
 * device): nothing here handles them yet, so each redirection entry is
 * rewritten whole, masked, with no vector and no destination, rather than
 * trusting whatever state the reset or the firmware left.
 */
#include <asm/acpi.h>
#include <asm/io_apic.h>
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/spinlock.h>
#include <xen/vmap.h>

struct io_apic io_apics[MADT_MAX_IO_APICS];
unsigned int nr_io_apics;

/* Selecting a register and reaching it are two accesses: keep them paired. */
static DEFINE_SPINLOCK(io_apic_lock);

static uint32_t __io_apic_read(unsigned int apic, unsigned int reg)
{
    volatile uint32_t *r = io_apics[apic].regs;

    r[IO_APIC_REGSEL / 4] = reg;
    return r[IO_APIC_WINDOW / 4];
}

static void __io_apic_write(unsigned int apic, unsigned int reg, uint32_t val)
{
    volatile uint32_t *r = io_apics[apic].regs;

    r[IO_APIC_REGSEL / 4] = reg;
    r[IO_APIC_WINDOW / 4] = val;
}

uint32_t io_apic_read(unsigned int apic, unsigned int reg)
{
    unsigned long flags;
    uint32_t val;

    spin_lock_irqsave(&io_apic_lock, flags);
    val = __io_apic_read(apic, reg);
    spin_unlock_irqrestore(&io_apic_lock, flags);

    return val;
}

void io_apic_write(unsigned int apic, unsigned int reg, uint32_t val)
{
    unsigned long flags;

    spin_lock_irqsave(&io_apic_lock, flags);
    __io_apic_write(apic, reg, val);
    spin_unlock_irqrestore(&io_apic_lock, flags);
}

uint64_t io_apic_read_rte(unsigned int apic, unsigned int pin)
{
    unsigned long flags;
    uint64_t rte;

    spin_lock_irqsave(&io_apic_lock, flags);
    rte = __io_apic_read(apic, IO_APIC_RTE_LOW(pin));
    rte |= (uint64_t)__io_apic_read(apic, IO_APIC_RTE_HIGH(pin)) << 32;
    spin_unlock_irqrestore(&io_apic_lock, flags);

    return rte;
}

void io_apic_write_rte(unsigned int apic, unsigned int pin, uint64_t rte)
{
    unsigned long flags;

    spin_lock_irqsave(&io_apic_lock, flags);
    __io_apic_write(apic, IO_APIC_RTE_LOW(pin),
                    (uint32_t)rte | IO_APIC_RTE_MASKED);
    __io_apic_write(apic, IO_APIC_RTE_HIGH(pin), rte >> 32);
    __io_apic_write(apic, IO_APIC_RTE_LOW(pin), (uint32_t)rte);
    spin_unlock_irqrestore(&io_apic_lock, flags);
}

static void mask_all(unsigned int apic)
{
    unsigned int pin;

    for ( pin = 0; pin < io_apics[apic].nr_pins; pin++ )
        io_apic_write_rte(apic, pin, IO_APIC_RTE_MASKED);
}

void __init io_apic_init(void)
{
    unsigned int i;

    for ( i = 0; i < acpi_madt.nr_io_apics; i++ )
    {
        const struct acpi_madt_ioapic *m = &acpi_madt.io_apics[i];
        struct io_apic *a = &io_apics[nr_io_apics];
        uint32_t ver, id;

        if ( !m->address )
        {
            printk(XENLOG_WARNING "IO-APIC ID %u: null address; ignored\n",
                   m->id);
            continue;
        }

        a->regs = ioremap(m->address, IO_APIC_MMIO_SIZE);
        if ( !a->regs )
        {
            printk(XENLOG_WARNING "IO-APIC ID %u at %#x: cannot map it; "
                   "ignored\n", m->id, m->address);
            continue;
        }
        nr_io_apics++;

        /* Nothing decodes the address: reads float to all ones. */
        ver = io_apic_read(nr_io_apics - 1, IO_APIC_VERSION);
        if ( ver == ~0U )
        {
            printk(XENLOG_WARNING "IO-APIC ID %u at %#x: no answer; "
                   "ignored\n", m->id, m->address);
            iounmap((void *)a->regs);
            a->regs = NULL;
            nr_io_apics--;
            continue;
        }

        a->address = m->address;
        a->id = m->id;
        a->gsi_base = m->gsi_base;
        a->nr_pins = IO_APIC_VER_MAX_REDIR(ver) + 1;
        a->version = ver & 0xff;
        mask_all(nr_io_apics - 1);

        id = io_apic_read(nr_io_apics - 1, IO_APIC_ID) >> 24;
        printk("IO-APIC %u: ID %u at %#lx, version %#x, GSI %u-%u (%u pins), "
               "all masked\n", nr_io_apics - 1, a->id, a->address,
               a->version, a->gsi_base, a->gsi_base + a->nr_pins - 1,
               a->nr_pins);
        if ( id != a->id )
            printk(XENLOG_WARNING "IO-APIC %u: its ID register says %u, "
                   "the MADT %u\n", nr_io_apics - 1, id, a->id);
    }
}

/*
 * ISA IRQs reach the IO-APICs as GSIs: the same number, edge-triggered,
 * active high, unless the MADT has an interrupt source override for it.
 * An override's polarity and trigger fields of 0 mean "as the bus
 * defines", which for ISA is again high and edge.
 */
unsigned int io_apic_isa_irq_gsi(unsigned int isa_irq, bool *level,
                                 bool *active_low)
{
    unsigned int gsi = isa_irq, i;
    uint16_t flags = 0;

    for ( i = 0; i < acpi_madt.nr_overrides; i++ )
        if ( acpi_madt.overrides[i].bus == 0 &&
             acpi_madt.overrides[i].source == isa_irq )
        {
            gsi = acpi_madt.overrides[i].gsi;
            flags = acpi_madt.overrides[i].flags;
            break;
        }

    *active_low = (flags & ACPI_MADT_POLARITY_MASK) == ACPI_MADT_POLARITY_LOW;
    *level = (flags & ACPI_MADT_TRIGGER_MASK) == ACPI_MADT_TRIGGER_LEVEL;

    return gsi;
}

int io_apic_gsi_pin(unsigned int gsi, unsigned int *apic, unsigned int *pin)
{
    unsigned int i;

    for ( i = 0; i < nr_io_apics; i++ )
        if ( gsi >= io_apics[i].gsi_base &&
             gsi - io_apics[i].gsi_base < io_apics[i].nr_pins )
        {
            *apic = i;
            *pin = gsi - io_apics[i].gsi_base;
            return 0;
        }

    return -ENOENT;
}

unsigned int io_apic_nr_gsis(void)
{
    unsigned int i, n = 0;

    for ( i = 0; i < nr_io_apics; i++ )
        n = max(n, io_apics[i].gsi_base + io_apics[i].nr_pins);

    return n;
}

int io_apic_by_address(paddr_t address)
{
    unsigned int i;

    for ( i = 0; i < nr_io_apics; i++ )
        if ( io_apics[i].address == address )
            return i;

    return -EINVAL;
}

void io_apic_set_masked(unsigned int apic, unsigned int pin, bool masked)
{
    unsigned long flags;
    uint32_t low;

    spin_lock_irqsave(&io_apic_lock, flags);
    low = __io_apic_read(apic, IO_APIC_RTE_LOW(pin));
    if ( masked )
        low |= IO_APIC_RTE_MASKED;
    else
        low &= ~IO_APIC_RTE_MASKED;
    __io_apic_write(apic, IO_APIC_RTE_LOW(pin), low);
    spin_unlock_irqrestore(&io_apic_lock, flags);
}

int io_apic_route_isa_irq(unsigned int isa_irq, uint8_t vector,
                          uint32_t dest_apic_id)
{
    unsigned int gsi, apic, pin;
    bool level, active_low;
    uint64_t rte;

    /* Without interrupt remapping an entry names an 8-bit APIC ID. */
    if ( dest_apic_id > 0xff )
        return -ERANGE;

    gsi = io_apic_isa_irq_gsi(isa_irq, &level, &active_low);
    if ( io_apic_gsi_pin(gsi, &apic, &pin) )
        return -ENOENT;

    rte = vector | ((uint64_t)dest_apic_id << IO_APIC_RTE_DEST_SHIFT);
    if ( active_low )
        rte |= IO_APIC_RTE_ACTIVE_LOW;
    if ( level )
        rte |= IO_APIC_RTE_LEVEL;
    io_apic_write_rte(apic, pin, rte);
    set_bit(pin, io_apics[apic].routed);

    return gsi;
}

/* ---- self-test ---------------------------------------------------------- */

/* Bits of an entry that hardware sets by itself. */
#define RTE_RO (IO_APIC_RTE_DELIVERY_STATUS | IO_APIC_RTE_REMOTE_IRR)

static const char *selftest_io_apic(void)
{
    unsigned int i, pin;

    if ( nr_io_apics != acpi_madt.nr_io_apics )
        return selftest_fail("%u IO-APICs in use, %u in the MADT",
                             nr_io_apics, acpi_madt.nr_io_apics);

    for ( i = 0; i < nr_io_apics; i++ )
    {
        const struct io_apic *a = &io_apics[i];
        uint64_t old, probe, rte;

        if ( a->nr_pins != IO_APIC_VER_MAX_REDIR(
                               io_apic_read(i, IO_APIC_VERSION)) + 1 )
            return selftest_fail("IO-APIC %u: %u pins recorded, version "
                                 "register disagrees", i, a->nr_pins);

        /*
         * Reset leaves every pin masked anyway, so also prove that entries
         * are really written: a masked entry with a vector and destination
         * must read back as written. It stays masked throughout, so
         * nothing can be delivered, and the old entry is put back. A pin
         * in use is left alone: masking it could lose an edge.
         */
        for ( pin = a->nr_pins - 1; pin && test_bit(pin, a->routed); pin-- )
            continue;
        old = io_apic_read_rte(i, pin);
        probe = IO_APIC_RTE_MASKED | IO_APIC_RTE_LEVEL | 0x5a |
                (0xa5UL << IO_APIC_RTE_DEST_SHIFT);
        io_apic_write_rte(i, pin, probe);
        rte = io_apic_read_rte(i, pin) & ~RTE_RO;
        io_apic_write_rte(i, pin, old & ~RTE_RO);
        if ( rte != probe )
            return selftest_fail("IO-APIC %u pin %u: wrote %#lx, read %#lx",
                                 i, pin, probe, rte);

        for ( pin = 0; pin < a->nr_pins; pin++ )
        {
            rte = io_apic_read_rte(i, pin);
            if ( test_bit(pin, a->routed) )
            {
                if ( rte & IO_APIC_RTE_MASKED )
                    return selftest_fail("IO-APIC %u pin %u: routed, yet "
                                         "entry %#lx is masked", i, pin, rte);
                continue;
            }
            if ( !(rte & IO_APIC_RTE_MASKED) )
                return selftest_fail("IO-APIC %u pin %u: entry %#lx is not "
                                     "masked", i, pin, rte);
        }
    }

    return NULL;
}
REGISTER_SELFTEST("io-apic", selftest_io_apic);
