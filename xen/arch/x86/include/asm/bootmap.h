/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_BOOTMAP_H
#define ASM_X86_BOOTMAP_H

#include <xen/types.h>

/*
 * Boot-time mappings of physical memory.
 *
 * Xenon has no direct map, so firmware structures (multiboot2 information,
 * ACPI tables, the memory map) are reached through this window: a fixed
 * virtual range (BOOTMAP_VIRT_START, asm/config.h) whose single L1 table
 * lives in the image, so it works before any allocator exists.
 *
 * bootmap_map() maps [pa, pa + len) read-write, non-executable (once NX
 * is on), cacheable, and returns the virtual address of pa (any
 * alignment, any physical address the CPU can address). It panics if the
 * window is full: boot code maps a bounded number of small structures
 * and unmaps what it does not keep.
 * bootmap_unmap() takes the pointer and length given to/returned by a
 * map and removes the mapping from this CPU's TLB. Boot CPU only, no
 * locking, not from interrupt context.
 */
void *bootmap_map(paddr_t pa, size_t len);
/* The same, uncached: for device registers (ACPI's fixed hardware). */
void *bootmap_map_registers(paddr_t pa, size_t len);
void bootmap_unmap(const void *va, size_t len);

/* Slots of the window in use now; the self-tests check for leaks. */
unsigned int bootmap_slots_used(void);

/* For the mapping audit: is the page at va a slot in use? */
bool bootmap_va_in_use(unsigned long va);

#endif /* ASM_X86_BOOTMAP_H */
