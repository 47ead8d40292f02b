/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_BOOTINFO_H
#define ASM_X86_BOOTINFO_H

#include <xen/types.h>

/*
 * What the boot loader told us, copied out of the multiboot2 information
 * (which stays where GRUB put it, reached only through bootmap) so that
 * nothing later depends on the loader's memory layout.
 */
#define BOOT_CMDLINE_MAX   1024
#define BOOT_MODULES_MAX   16
#define BOOT_MOD_CMDLINE_MAX 256
#define BOOT_RSDP_MAX      36

struct boot_module {
    paddr_t start, end; /* [start, end) */
    char cmdline[BOOT_MOD_CMDLINE_MAX];
};

struct boot_info {
    paddr_t mbi_start, mbi_end;   /* the multiboot2 information itself */
    char cmdline[BOOT_CMDLINE_MAX];
    char loader[64];
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MODULES_MAX];
    uint8_t rsdp[BOOT_RSDP_MAX];  /* copy of the RSDP, if the loader gave one */
    size_t rsdp_len;
    const char *mmap_source;      /* which tag the memory map came from */
    bool efi;                     /* booted through UEFI */
    paddr_t efi_systab;           /* its system table (0: none given) */
};

extern struct boot_info boot_info;

/*
 * Parses the multiboot2 information at physical address mbi_pa into
 * boot_info and e820_raw. Panics on a malformed structure.
 */
void multiboot2_parse(paddr_t mbi_pa);

#endif /* ASM_X86_BOOTINFO_H */
