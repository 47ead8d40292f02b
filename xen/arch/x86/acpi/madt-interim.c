/* SPDX-License-Identifier: GPL-2.0-only */
/* Interim CPU list from the MADT (types 0 and 9 only). */
#include <asm/acpi.h>
#include <asm/madt-interim.h>
#include <xen/lib.h>

struct acpi_madt_info acpi_madt;

void acpi_madt_init(void)
{
    const struct acpi_table_header *h = acpi_find_table("APIC", 0);
    const uint8_t *p, *end;

    if ( !h )
        return;
    p = (const uint8_t *)h + 44;
    end = (const uint8_t *)h + h->length;
    acpi_madt.lapic_addr = *(const uint32_t *)((const uint8_t *)h + 36);
    while ( p + 2 <= end && p[1] >= 2 && p + p[1] <= end )
    {
        struct acpi_madt_cpu *c = &acpi_madt.cpus[acpi_madt.nr_cpus];

        if ( acpi_madt.nr_cpus < ARRAY_SIZE(acpi_madt.cpus) )
        {
            if ( p[0] == 0 && p[1] >= 8 )
            {
                c->apic_id = p[3];
                c->enabled = p[4] & 1;
                acpi_madt.nr_cpus++;
            }
            else if ( p[0] == 9 && p[1] >= 16 )
            {
                c->apic_id = *(const uint32_t *)(p + 4);
                c->enabled = p[8] & 1;
                acpi_madt.nr_cpus++;
            }
        }
        p += p[1];
    }
    printk("ACPI: MADT: %u CPUs\n", acpi_madt.nr_cpus);
}
