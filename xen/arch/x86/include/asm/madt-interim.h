/* SPDX-License-Identifier: GPL-2.0-only */
/* Interim: the CPU list smpboot.c needs until the full MADT parser lands. */
#ifndef ASM_X86_MADT_INTERIM_H
#define ASM_X86_MADT_INTERIM_H
#include <xen/types.h>
struct acpi_madt_cpu {
    uint32_t apic_id;
    bool enabled;
};
struct acpi_madt_info {
    paddr_t lapic_addr;
    unsigned int nr_cpus;
    struct acpi_madt_cpu cpus[2 * CONFIG_NR_CPUS];
};
extern struct acpi_madt_info acpi_madt;
void acpi_madt_init(void);
#endif
