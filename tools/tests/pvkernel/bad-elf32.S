/* SPDX-License-Identifier: GPL-2.0-only */
/* A 32-bit ELF with Xen notes: it must be refused, never entered. */
    .section .note.Xen, "a", @note
    .balign 4
    .long 4, 2f - 1f, 6             /* XEN_ELFNOTE_GUEST_OS */
    .asciz "Xen"
1:  .asciz "Xenon-bad-elf32"
2:  .balign 4
    .text
    .globl _start
_start:
    ud2
