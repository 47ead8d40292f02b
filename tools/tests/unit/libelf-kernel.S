/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny PV kernel for test-libelf.c, assembled and linked by the host
 * toolchain: the Xen notes a 64-bit Linux kernel carries (FEATURES
 * written with .ascii, no NUL, as Linux writes it), code with a
 * page-aligned hypercall page, data and bss. KBASE is VIRT_BASE. With
 * LEGACY, the description is a __xen_guest string instead of notes.
 */

/* A note named "Xen"; value is the assembler data the desc holds. */
#define XEN_NOTE(type, value...)                                      \
    .pushsection .note.Xen, "a", @note;                               \
    .balign 4;                                                        \
    .long 2f - 1f, 4f - 3f, type;                                     \
1:  .asciz "Xen";                                                     \
2:  .balign 4;                                                        \
3:  value;                                                            \
4:  .balign 4;                                                        \
    .popsection

    .text
    .globl _start
_start:
    /* Entry is not the first byte, so e_entry and ENTRY differ. */
    .fill 0x40, 1, 0x90
startup_xen:
    hlt
    .balign 4096, 0x90
hypercall_page:
    .fill 4096, 1, 0xcc

    .data
    .ascii "libelf test kernel data"

    .bss
    .skip 0x2345

#ifndef LEGACY
    XEN_NOTE(6, .asciz "linux")                     /* GUEST_OS */
    XEN_NOTE(7, .asciz "2.6")                       /* GUEST_VERSION */
    XEN_NOTE(5, .asciz "xen-3.0")                   /* XEN_VERSION */
    XEN_NOTE(3, .quad KBASE)                        /* VIRT_BASE */
    XEN_NOTE(15, .quad 0x8000000000)                /* INIT_P2M */
    XEN_NOTE(1, .quad startup_xen)                  /* ENTRY */
    XEN_NOTE(2, .quad hypercall_page)               /* HYPERCALL_PAGE */
    XEN_NOTE(10, .ascii "!writable_page_tables|pae_pgdir_above_4gb")
    XEN_NOTE(17, .long (1 << 0) | (1 << 11) | (1 << 15))
    XEN_NOTE(9, .asciz "yes")                       /* PAE_MODE */
    XEN_NOTE(8, .asciz "generic")                   /* LOADER */
    XEN_NOTE(13, .quad 1; .quad 1)                  /* L1_MFN_VALID */
    XEN_NOTE(14, .long 1)                           /* SUSPEND_CANCEL */
    XEN_NOTE(16, .long 1)                           /* MOD_START_PFN */
    XEN_NOTE(12, .quad 0xffff800000000000)          /* HV_START_LOW */
    XEN_NOTE(4, .quad 0)                            /* PADDR_OFFSET */
    XEN_NOTE(18, .long startup_xen - KBASE)         /* PHYS32_ENTRY */
#else
    /* Not allocated: it describes the kernel, it is not part of it. */
    .section __xen_guest, "", @progbits
    .ascii "GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,"
    .ascii "VIRT_BASE=0xffffffff80000000,HYPERCALL_PAGE=0x1001,"
    .ascii "VIRT_ENTRY=0xffffffff81000040,"
    .ascii "LOADER=generic,PAE=yes[extended-cr3],"
    .asciz "FEATURES=writable_page_tables|!pae_pgdir_above_4gb"
#endif

    .section .note.GNU-stack, "", @progbits
