/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The symbol table of the first link, before there is an image to take
 * symbols from: the symbols xen/common/symbols.c needs, describing no
 * entries. Later links use the table xen/tools/gen-symbols.sh makes.
 */
        .section .rodata.symbols, "a", @progbits
        .balign 8
        .globl symbols_base, symbols_count, symbols_offsets
        .globl symbols_sizes, symbols_name_offsets, symbols_names
        .hidden symbols_base, symbols_count, symbols_offsets
        .hidden symbols_sizes, symbols_name_offsets, symbols_names
symbols_base:
        .quad 0
symbols_count:
        .long 0
symbols_offsets:
symbols_sizes:
symbols_name_offsets:
symbols_names:
