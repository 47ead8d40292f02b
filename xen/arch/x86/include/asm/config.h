/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_CONFIG_H
#define ASM_X86_CONFIG_H

/*
 * The hypervisor's virtual address space.
 *
 * The PV ABI gives the hypervisor L4 slots 256-271 of every guest's page
 * tables; everything below lives there. There is no direct map of RAM
 * unless CONFIG_DIRECTMAP_SIZE_GB asks for one, and then only last.
 *
 *  start              end (inclusive)     size  L4   what
 *  0xffff800000000000 0xffff803fffffffff  256G  256  read-only M2P (guest view)
 *  0xffff804000000000 0xffff80ffffffffff  768G  256+ reserved
 *  0xffff810000000000 0xffff817fffffffff  512G  258* guest linear page table
 *  0xffff818000000000 0xffff81ffffffffff  512G  259* reserved
 *  0xffff820000000000 0xffff827fffffffff  512G  260* per-domain area
 *  0xffff828000000000 0xffff82bfffffffff  256G  261  read-write M2P
 *  0xffff82c000000000 0xffff82cfffffffff   64G  261  vmap
 *  0xffff82d000000000 0xffff82d03fbfffff ~1020M 261  per-CPU mapcache windows
 *  0xffff82d03fc00000 0xffff82d03fdfffff    2M  261  fixmap
 *  0xffff82d03fe00000 0xffff82d03fffffff    2M  261  boot mappings (bootmap)
 *  0xffff82d040000000 0xffff82d07fffffff    1G  261  hypervisor image
 *  0xffff82d080000000 0xffff82d0ffffffff    2G  261  self-test scratch
 *  0xffff82d100000000 0xffff82dfffffffff  ~60G  261  reserved
 *  0xffff82e000000000 0xffff82ffffffffff  128G  261  frame table
 *  0xffff830000000000 0xffff837fffffffff  512G  262  xenheap (through vmap)
 *  0xffff838000000000 0xffff83ffffffffff  512G  263  page-to-virt tracking
 *  0xffff840000000000 0xffff87ffffffffff    4T  264+ direct map (optional)
 *
 * Slots marked * are per guest: each guest's L4 has its own entry there
 * (or none), and the idle page tables have none. Every other slot's L4
 * entry is fixed at boot and copied into every guest's L4, so whatever
 * is mapped under it is mapped the same in every address space; slot
 * 256's entry also carries _PAGE_USER, as guests read the M2P through
 * it (asm/l4-slots.h, docs/designs/pv-readiness.md). Nothing outside
 * the self-tests and the benchmark maps the scratch range, and they
 * unmap it before they return. xen/arch/x86/mm/layout.c checks at boot
 * that no two regions overlap and that none straddles the two kinds of
 * slot.
 */

#define PAGE_SHIFT     12
#define PAGE_SIZE      (1UL << PAGE_SHIFT)
#define PAGE_MASK      (~(PAGE_SIZE - 1))
#define L2_PAGE_SHIFT  21
#define L3_PAGE_SHIFT  30
#define L4_PAGE_SHIFT  39

#ifdef __ASSEMBLY__
#define _AC(x, s) x
#else
#define _AC(x, s) x##s
#endif

#define HYPERVISOR_VIRT_START _AC(0xffff800000000000, UL)
#define HYPERVISOR_VIRT_END   _AC(0xffff880000000000, UL)

#define RO_MPT_VIRT_START     _AC(0xffff800000000000, UL)
#define RO_MPT_VIRT_END       _AC(0xffff804000000000, UL)
#define LINEAR_PT_VIRT_START  _AC(0xffff810000000000, UL)
#define LINEAR_PT_VIRT_END    _AC(0xffff818000000000, UL)
#define PERDOMAIN_VIRT_START  _AC(0xffff820000000000, UL)
#define PERDOMAIN_VIRT_END    _AC(0xffff828000000000, UL)
#define RDWR_MPT_VIRT_START   _AC(0xffff828000000000, UL)
#define RDWR_MPT_VIRT_END     _AC(0xffff82c000000000, UL)
#define VMAP_VIRT_START       _AC(0xffff82c000000000, UL)
#define VMAP_VIRT_END         _AC(0xffff82d000000000, UL)
#define MAPCACHE_VIRT_START   _AC(0xffff82d000000000, UL)
#define MAPCACHE_VIRT_END     _AC(0xffff82d03fc00000, UL)
#define FIXMAP_VIRT_START     _AC(0xffff82d03fc00000, UL)
#define FIXMAP_VIRT_END       _AC(0xffff82d03fe00000, UL)
#define BOOTMAP_VIRT_START    _AC(0xffff82d03fe00000, UL)
#define BOOTMAP_VIRT_END      _AC(0xffff82d040000000, UL)
#define XEN_VIRT_START        _AC(0xffff82d040000000, UL)
#define XEN_VIRT_END          _AC(0xffff82d080000000, UL)
#define SCRATCH_VIRT_START    _AC(0xffff82d080000000, UL)
#define SCRATCH_VIRT_END      _AC(0xffff82d100000000, UL)
#define FRAMETABLE_VIRT_START _AC(0xffff82e000000000, UL)
#define FRAMETABLE_VIRT_END   _AC(0xffff830000000000, UL)
#define XENHEAP_VIRT_START    _AC(0xffff830000000000, UL)
#define XENHEAP_VIRT_END      _AC(0xffff838000000000, UL)
#define PG2VIRT_VIRT_START    _AC(0xffff838000000000, UL)
#define PG2VIRT_VIRT_END      _AC(0xffff840000000000, UL)
#define DIRECTMAP_VIRT_START  _AC(0xffff840000000000, UL)
#define DIRECTMAP_VIRT_END    _AC(0xffff880000000000, UL)

#define BOOTMAP_SLOTS ((BOOTMAP_VIRT_END - BOOTMAP_VIRT_START) >> PAGE_SHIFT)
#define FIXMAP_SLOTS  ((FIXMAP_VIRT_END - FIXMAP_VIRT_START) >> PAGE_SHIFT)

/*
 * The hypervisor's L4 slots, and among them the per-guest ones (the
 * table above; asm/l4-slots.h has the rules and the code).
 */
#define ROOT_PAGETABLE_FIRST_XEN_SLOT      256
#define ROOT_PAGETABLE_LAST_XEN_SLOT       271
#define ROOT_PAGETABLE_XEN_SLOTS \
    (ROOT_PAGETABLE_LAST_XEN_SLOT - ROOT_PAGETABLE_FIRST_XEN_SLOT + 1)
#define ROOT_PAGETABLE_FIRST_PERGUEST_SLOT 258
#define ROOT_PAGETABLE_LAST_PERGUEST_SLOT  260
#define RO_MPT_SLOT                        256
#define LINEAR_PT_SLOT                     258
#define PERDOMAIN_SLOT                     260

/*
 * The image is loaded by GRUB at a 2 MiB-aligned physical address of its
 * choosing (multiboot2 relocatable tag) and mapped at XEN_VIRT_START with
 * 2 MiB pages. XEN_LOAD_ALIGN is that alignment; XEN_LOAD_MIN the lowest
 * address GRUB may pick.
 */
#define XEN_LOAD_ALIGN  _AC(0x200000, UL)
#define XEN_LOAD_MIN    _AC(0x200000, UL)
#define XEN_LOAD_MAX    _AC(0xbfffffff, UL)

/*
 * Each CPU's stacks: one block of STACK_SIZE bytes aligned to STACK_SIZE,
 * so that the struct cpu_info at its top is found from any stack pointer
 * inside it (asm/current.h), the IST stacks included. Pages, low to high:
 *   0      guard (unmapped for APs)
 *   1-2    #DF IST stack       3-4  NMI IST stack     5-6  #MC IST stack
 *   7      guard (unmapped for APs)
 *   8-15   the primary stack, below struct cpu_info in its top
 *          CPUINFO_SIZE bytes (a guest's saved registers, then the
 *          per-CPU fields; asm/current.h has the picture)
 */
#define STACK_ORDER      4
#define STACK_SIZE       (PAGE_SIZE << STACK_ORDER)
#define IST_STACK_PAGES  2
#define PRIMARY_STACK_PAGE 8
/* Bytes kept for struct cpu_info at the top (asm/current.h checks). */
#define CPUINFO_SIZE     256

/*
 * Segment selectors. The PV ABI gives a guest GDT entries below 0xe000
 * (its own frames, 14 pages) and keeps the rest for the hypervisor, so
 * the hypervisor's descriptors live in one page that starts at selector
 * 0xe000 (asm/desc.h). The ring-3 flat selectors are the ABI's
 * FLAT_RING3_* values that every 64-bit PV guest runs on; their order
 * is what SYSRET needs (CS32, then SS, then CS64).
 *
 * head.S and the AP trampoline run on small boot GDTs of their own
 * (BOOT_CS/BOOT_DS) until load_system_tables() switches to the real one.
 */
#define FIRST_RESERVED_GDT_BYTE 0xe000
#define __HYPERVISOR_CS  0xe008
#define __HYPERVISOR_DS  0xe010
#define FLAT_RING3_CS32  0xe023
#define FLAT_RING3_SS    0xe02b
#define FLAT_RING3_CS64  0xe033
#define BOOT_CS 0x08
#define BOOT_DS 0x10

#ifndef __ASSEMBLY__
#include <xen/types.h>

/* Physical address the image was loaded at; set by head.S. */
extern unsigned long xen_phys_start;

/* Image addresses only: the image is the one thing always mapped. */
#define __pa_image(va) ((paddr_t)((unsigned long)(va) - XEN_VIRT_START + \
                                  xen_phys_start))
#define __va_image(pa) ((void *)((unsigned long)(pa) - xen_phys_start + \
                                 XEN_VIRT_START))
#endif

#endif /* ASM_X86_CONFIG_H */
