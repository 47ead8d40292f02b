/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test kernels the Makefile builds from libelf-kernel.S, embedded
 * in test-libelf so that it runs from any directory.
 */
#define IMAGE(name, file)                                             \
    .globl name##_start, name##_end;                                  \
    .balign 16;                                                       \
name##_start:                                                         \
    .incbin file;                                                     \
name##_end:

    .section .rodata
    IMAGE(kernel_high, "build/libelf-kernel-high.elf")
    IMAGE(kernel_zero, "build/libelf-kernel-zero.elf")
    IMAGE(kernel_legacy, "build/libelf-kernel-legacy.elf")

    .section .note.GNU-stack, "", @progbits
