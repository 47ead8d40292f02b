/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The types of the ELF notes a Xen guest kernel carries to describe
 * itself to the domain builder: notes named "Xen" (namesz 4, "Xen\0"),
 * found in PT_NOTE segments. A numeric note's desc is a little-endian
 * integer of 1, 2, 4 or 8 bytes; a string note's desc is NUL-terminated
 * text. The legacy __xen_guest section spells most of these as KEY=value
 * (the key is given where it differs from the note's name).
 */
#ifndef __XEN_PUBLIC_ELFNOTE_H__
#define __XEN_PUBLIC_ELFNOTE_H__

/* String: a free-form NAME=VALUE pair; the builder ignores it. */
#define XEN_ELFNOTE_INFO               0
/* Numeric: the virtual address the first vCPU starts at (VIRT_ENTRY). */
#define XEN_ELFNOTE_ENTRY              1
/*
 * Numeric: the virtual address of the page the hypervisor fills with
 * hypercall stubs. The legacy key gives a page number relative to
 * VIRT_BASE instead.
 */
#define XEN_ELFNOTE_HYPERCALL_PAGE     2
/* Numeric: the virtual address the kernel's mapping starts at; 0 if absent. */
#define XEN_ELFNOTE_VIRT_BASE          3
/*
 * Numeric: what to subtract from p_paddr to get the pseudo-physical
 * offset from VIRT_BASE (old kernels put virtual addresses in p_paddr).
 * Defaults to 0 with notes, to VIRT_BASE with __xen_guest
 * (ELF_PADDR_OFFSET).
 */
#define XEN_ELFNOTE_PADDR_OFFSET       4
/* String: the hypervisor interface the kernel targets; "xen-3.0" (XEN_VER). */
#define XEN_ELFNOTE_XEN_VERSION        5
/* String: the guest OS name, e.g. "linux". */
#define XEN_ELFNOTE_GUEST_OS           6
/* String: the guest OS version, free-form (GUEST_VER). */
#define XEN_ELFNOTE_GUEST_VERSION      7
/* String: the loader the image is built for; "generic". */
#define XEN_ELFNOTE_LOADER             8
/* String: 32-bit PAE support, "yes", "no" or "bimodal" (PAE). */
#define XEN_ELFNOTE_PAE_MODE           9
/* String: '|'-separated feature names; a leading '!' marks it required. */
#define XEN_ELFNOTE_FEATURES          10
/* String: "yes" if the symbol table must be loaded after the kernel. */
#define XEN_ELFNOTE_BSD_SYMTAB        11
/* Numeric: the lowest address the hypervisor's hole may start at (32-bit). */
#define XEN_ELFNOTE_HV_START_LOW      12
/* Numeric pairs: mask/value recognising non-present L1 entries with MFNs. */
#define XEN_ELFNOTE_L1_MFN_VALID      13
/* Numeric: non-zero if the guest copes with a cancelled suspend. */
#define XEN_ELFNOTE_SUSPEND_CANCEL    14
/* Numeric: the virtual address to map the initial P2M table at instead. */
#define XEN_ELFNOTE_INIT_P2M          15
/* Numeric: non-zero if the initrd may be given as frames, not mapped. */
#define XEN_ELFNOTE_MOD_START_PFN     16
/* Numeric: bitmap of XENFEAT_* the kernel supports, 32 bits per word. */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17
/* Numeric: the 32-bit physical entry point used for PVH (HVM) boot. */
#define XEN_ELFNOTE_PHYS32_ENTRY      18
/* Numeric words: a PVH kernel may be relocated (align, min, max). */
#define XEN_ELFNOTE_PHYS32_RELOC      19

#define XEN_ELFNOTE_MAX XEN_ELFNOTE_PHYS32_RELOC

#endif /* __XEN_PUBLIC_ELFNOTE_H__ */
