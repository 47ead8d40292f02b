/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_E820_H
#define ASM_X86_E820_H

#include <xen/types.h>

/*
 * The machine memory map, in the BIOS E820 vocabulary whatever the
 * firmware. The boot loader's map (multiboot2 BIOS map tag, or the EFI
 * memory map converted by efi_type_to_e820()) is copied into e820_raw,
 * then e820_sanitise() makes it sorted, non-overlapping and merged into
 * e820. Where entries overlap, the more restrictive type wins (anything
 * beats RAM; the higher type number wins among the rest), so memory is
 * never handed out that some firmware table says is in use.
 */
#define E820_RAM      1
#define E820_RESERVED 2
#define E820_ACPI     3
#define E820_NVS      4
#define E820_UNUSABLE 5

#define E820_MAX 256

struct e820entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
};

struct e820map {
    unsigned int nr_map;
    struct e820entry map[E820_MAX];
};

extern struct e820map e820_raw; /* as the boot loader gave it */
extern struct e820map e820;     /* sanitised: what everything else uses */

/*
 * Sorts, splits overlaps by type priority and merges adjacent entries of
 * one type, in place. Entries of size 0 are dropped; an entry running past
 * 2^64 is clipped (all of [0, 2^64) comes out one byte short). Returns the
 * number of entries now in map. Splitting can produce more entries than
 * came in (RAM with two holes: 3 in, 5 out), so map must have room for
 * E820_MAX entries whatever nr is; pieces beyond that are dropped from the
 * top of memory with a warning, which only ever loses memory. Pure logic,
 * also built for the host unit tests.
 */
unsigned int e820_sanitise(struct e820entry *map, unsigned int nr);

/* Total bytes of E820_RAM in a map. */
uint64_t e820_ram_bytes(const struct e820entry *map, unsigned int nr);

/* E820 type for an EFI memory descriptor type, as seen after
 * ExitBootServices (boot-services and loader memory are RAM). */
uint32_t efi_type_to_e820(uint32_t efi_type);

/* Name of an E820 type for the boot log. */
const char *e820_type_name(uint32_t type);

/* Prints a map, one "(XEN)  start - end (type)" line per entry. */
void e820_print(const struct e820map *m);

#endif /* ASM_X86_E820_H */
