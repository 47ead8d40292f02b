/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The HPET description table: where the event timer block's registers
 * are, for the timer code to take from there. Only a block in system
 * memory is usable; the IA-PC HPET specification allows nothing else,
 * so anything else is a firmware bug to report, not to work around.
 */
#include <asm/acpi.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/string.h>
#include <xen/vmap.h>

paddr_t acpi_hpet_address;
uint8_t acpi_hpet_number;
uint16_t acpi_hpet_min_tick;

/* The register block is 1 KiB. */
#define HPET_MMIO_SIZE       0x400

/* General Capabilities and ID register, low and high halves. */
#define HPET_ID              0x0
#define HPET_ID_REV_MASK     0xffU
#define HPET_PERIOD          0x4
/* The specification bounds the counter's period to 100 ns, in fs. */
#define HPET_MAX_PERIOD_FS   100000000U

const char *acpi_hpet_parse(const void *table, size_t len, paddr_t *pa,
                            uint8_t *number, uint16_t *min_tick)
{
    const struct acpi_hpet *t = table;

    BUILD_BUG_ON(sizeof(*t) != 56);

    if ( len < sizeof(*t) || t->header.length < sizeof(*t) )
        return "table shorter than its fixed part";
    if ( t->address.space_id != ACPI_ADR_SPACE_SYSTEM_MEMORY )
        return "registers not in system memory";
    if ( !t->address.address )
        return "null register address";
    if ( !acpi_paddr_ok(t->address.address, HPET_MMIO_SIZE) )
        return "registers beyond the CPU's physical address width";

    *pa = t->address.address;
    *number = t->hpet_number;
    *min_tick = t->min_tick;

    return NULL;
}

void __init acpi_hpet_init(void)
{
    const struct acpi_table_header *h = acpi_find_table("HPET", 0);
    const char *why;
    paddr_t pa;

    if ( !h )
    {
        printk("ACPI: no HPET table\n");
        return;
    }

    why = acpi_hpet_parse(h, h->length, &pa, &acpi_hpet_number,
                          &acpi_hpet_min_tick);
    if ( why )
    {
        printk(XENLOG_WARNING "ACPI: HPET table ignored: %s\n", why);
        return;
    }

    acpi_hpet_address = pa;
    printk("ACPI: HPET %u at %#lx, minimum periodic tick %u\n",
           acpi_hpet_number, acpi_hpet_address, acpi_hpet_min_tick);
}

/* ---- self-test ---------------------------------------------------------- */

static const char *selftest_acpi_hpet(void)
{
    static struct acpi_hpet t;
    const struct acpi_table_header *h;
    const volatile uint32_t *regs;
    uint32_t id, period;
    uint16_t tick = 0;
    uint8_t num = 0;
    paddr_t pa = 0;
    const char *why;

    memset(&t, 0, sizeof(t));
    t.header.length = sizeof(t);
    t.address.space_id = ACPI_ADR_SPACE_SYSTEM_MEMORY;
    t.address.address = 0xfed00000;
    t.hpet_number = 3;
    t.min_tick = 0x80;
    why = acpi_hpet_parse(&t, sizeof(t), &pa, &num, &tick);
    if ( why || pa != 0xfed00000 || num != 3 || tick != 0x80 )
        return selftest_fail("good table: %s, %#lx, %u, %u",
                             why ?: "accepted", pa, num, tick);

    if ( !acpi_hpet_parse(&t, sizeof(t) - 1, &pa, &num, &tick) )
        return selftest_fail("a truncated table was accepted");
    t.address.space_id = ACPI_ADR_SPACE_SYSTEM_IO;
    if ( !acpi_hpet_parse(&t, sizeof(t), &pa, &num, &tick) )
        return selftest_fail("registers in I/O space were accepted");
    t.address.space_id = ACPI_ADR_SPACE_SYSTEM_MEMORY;
    t.address.address = 0;
    if ( !acpi_hpet_parse(&t, sizeof(t), &pa, &num, &tick) )
        return selftest_fail("a null register address was accepted");
    t.address.address = 1UL << 52;
    if ( !acpi_hpet_parse(&t, sizeof(t), &pa, &num, &tick) )
        return selftest_fail("an impossible register address was accepted");

    /* The live table: what was kept, and a timer block really there. */
    h = acpi_find_table("HPET", 0);
    pa = 0;
    if ( h && acpi_hpet_parse(h, h->length, &pa, &num, &tick) )
        pa = 0;
    if ( pa != acpi_hpet_address )
        return selftest_fail("HPET table gives %#lx, boot kept %#lx", pa,
                             acpi_hpet_address);
    if ( !pa )
        return NULL;

    regs = ioremap(pa, HPET_MMIO_SIZE);
    if ( !regs )
        return selftest_fail("cannot map the HPET at %#lx", pa);
    id = regs[HPET_ID / 4];
    period = regs[HPET_PERIOD / 4];
    iounmap((void *)regs);

    if ( !(id & HPET_ID_REV_MASK) || !period || period > HPET_MAX_PERIOD_FS )
        return selftest_fail("no HPET at %#lx: ID %#x, period %u fs", pa, id,
                             period);

    return NULL;
}
REGISTER_SELFTEST("acpi-hpet", selftest_acpi_hpet);
