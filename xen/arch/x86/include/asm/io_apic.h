/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_IO_APIC_H
#define ASM_X86_IO_APIC_H

/*
 * IO-APICs (xen/arch/x86/io_apic.c): the MADT's list, mapped, with every
 * pin masked until something routes it.
 *
 * An IO-APIC is reached through two registers: the index of an internal
 * register goes into IOREGSEL, then IOWIN reads or writes it. The
 * accessors below keep each pair (and each whole redirection entry)
 * under one lock, taken with interrupts off: any CPU, any context but
 * NMI.
 */

#include <asm/acpi.h>
#include <xen/bitops.h>
#include <xen/types.h>

#define IO_APIC_REGSEL        0x00
#define IO_APIC_WINDOW        0x10
#define IO_APIC_MMIO_SIZE     0x20

/* Internal registers. */
#define IO_APIC_ID            0x00      /* ID in bits 27:24 (31:24 on some) */
#define IO_APIC_VERSION       0x01
#define IO_APIC_VER_MAX_REDIR(v) (((v) >> 16) & 0xff)  /* pins - 1 */
#define IO_APIC_RTE_LOW(pin)  (0x10 + 2 * (pin))
#define IO_APIC_RTE_HIGH(pin) (0x11 + 2 * (pin))

/* Redirection table entry bits, as one 64-bit value (low dword first). */
#define IO_APIC_RTE_VECTOR    0x000000ffUL
#define IO_APIC_RTE_DELIVERY_STATUS (1UL << 12)  /* read-only */
#define IO_APIC_RTE_ACTIVE_LOW (1UL << 13)
#define IO_APIC_RTE_REMOTE_IRR (1UL << 14)       /* read-only */
#define IO_APIC_RTE_LEVEL     (1UL << 15)
#define IO_APIC_RTE_MASKED    (1UL << 16)
#define IO_APIC_RTE_DEST_SHIFT 56

/* An IO-APIC that answered. */
struct io_apic {
    volatile uint32_t *regs;    /* IOREGSEL at [0], IOWIN at [4] */
    paddr_t address;
    unsigned int id;            /* the MADT's */
    unsigned int gsi_base;      /* GSI of pin 0 */
    unsigned int nr_pins;
    unsigned int version;       /* bits 7:0 of the version register */
    /*
     * The hypervisor's own pins (io_apic_route_isa_irq()): never a
     * guest's. Pins a guest has bound (xen/arch/x86/irq.c) are unmasked
     * too, after boot; every other pin stays masked.
     */
    unsigned long routed[BITS_TO_LONGS(256)];
};

extern struct io_apic io_apics[MADT_MAX_IO_APICS];
extern unsigned int nr_io_apics;

/*
 * Maps each IO-APIC the MADT lists, masks all its pins and prints one
 * line for it. An IO-APIC that cannot be mapped or does not answer is
 * reported and left out of io_apics[]. No MADT IO-APIC: nothing to do.
 * Boot CPU, once, after acpi_boot_init().
 */
void io_apic_init(void);

/* Register reg of io_apics[apic] (apic < nr_io_apics). */
uint32_t io_apic_read(unsigned int apic, unsigned int reg);
void io_apic_write(unsigned int apic, unsigned int reg, uint32_t val);

/* Redirection table entry of pin (< nr_pins). */
uint64_t io_apic_read_rte(unsigned int apic, unsigned int pin);

/*
 * Writes pin's entry so that it is never live half-written: the masked
 * low half first, then the high half, then the low half as given.
 */
void io_apic_write_rte(unsigned int apic, unsigned int pin, uint64_t rte);

/*
 * The GSI ISA IRQ isa_irq arrives on, through the MADT's interrupt
 * source override for it if there is one, and that GSI's trigger and
 * polarity (ISA's edge and active high unless the override says).
 */
unsigned int io_apic_isa_irq_gsi(unsigned int isa_irq, bool *level,
                                 bool *active_low);

/* The IO-APIC and pin of gsi: 0, or -ENOENT if no IO-APIC has it. */
int io_apic_gsi_pin(unsigned int gsi, unsigned int *apic, unsigned int *pin);

/* One past the highest GSI an IO-APIC in use has (0: none). */
unsigned int io_apic_nr_gsis(void);

/* The index in io_apics[] of the IO-APIC at address, or -EINVAL. */
int io_apic_by_address(paddr_t address);

/* Sets or clears the mask bit of pin's entry, leaving the rest as is. */
void io_apic_set_masked(unsigned int apic, unsigned int pin, bool masked);

/*
 * Routes ISA IRQ isa_irq (through the MADT's interrupt source override
 * for it, if any) to vector on the CPU with APIC ID dest_apic_id: fixed
 * delivery, physical destination, unmasked. Returns the GSI used, or
 * -ENOENT if no IO-APIC has that GSI, -ERANGE if the APIC ID does not
 * fit an entry. Boot time; the vector's handler must be set first.
 */
int io_apic_route_isa_irq(unsigned int isa_irq, uint8_t vector,
                          uint32_t dest_apic_id);

#endif /* ASM_X86_IO_APIC_H */
