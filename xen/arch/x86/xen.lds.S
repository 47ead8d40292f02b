/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The image is linked at XEN_VIRT_START and laid out physically from
 * XEN_LOAD_MIN; GRUB may move it to another 2 MiB-aligned address
 * (multiboot2 relocatable tag), which head.S discovers at run time.
 * Text comes first, so relinking with a new symbol table (at the end of
 * .rodata) never moves code.
 */
#include <asm/config.h>
#include <asm/image.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start)

PHDRS
{
    image PT_LOAD FLAGS(7);
}

SECTIONS
{
    . = XEN_VIRT_START;
    __image_start = .;

    .text : AT(XEN_LOAD_MIN)
    {
        *(.text.header)
        *(.text .text.*)
        *(.init.text .init.text.*)
        __text_end = .;
    } :image

    /* Page-aligned parts: the image is mapped W^X page by page. */
    .rodata : ALIGN(4096)
    {
        __rodata_start = .;
        . = ALIGN(8);
        __start___ex_table = .;
        KEEP(*(.ex_table))
        __stop___ex_table = .;
        *(.rodata .rodata.*)
        *(.init.rodata .init.rodata.*)
        /* The per-CPU template: read-only, copied for each CPU. */
        . = ALIGN(64);
        __per_cpu_start = .;
        *(.data.percpu)
        . = ALIGN(64);
        __per_cpu_end = .;
    } :image

    /*
     * Tables of pointers are writable as far as the toolchain is concerned
     * (-fpic puts const data with relocations in writable sections), so
     * they live here rather than making .rodata writable.
     */
    .data : ALIGN(4096)
    {
        __data_start = .;
        *(.data.page_aligned)
        . = ALIGN(8);
        __setup_start = .;
        KEEP(*(.init.setup))
        __setup_end = .;
        . = ALIGN(8);
        __selftest_start = .;
        KEEP(*(.data.selftest))
        __selftest_end = .;
        *(.data .data.*)
        *(.init.data .init.data.*)
        . = ALIGN(8);
    } :image

    .bss : ALIGN(4096)
    {
        __bss_start = .;
        *(.bss.page_aligned)
        *(.bss .bss.*)
        *(COMMON)
        . = ALIGN(64);
        __per_cpu0_area = .;
        . += __per_cpu_end - __per_cpu_start;
        . = ALIGN(4096);
        __bss_end = .;
    } :image

    __image_end = .;

    /DISCARD/ :
    {
        *(.note .note.*)
        *(.comment)
        *(.eh_frame)
        *(.discard .discard.*)
    }
}

ASSERT(__image_end - __image_start <= XEN_VIRT_END - XEN_VIRT_START,
       "image larger than its virtual region")
ASSERT(__image_end - __image_start <= IMAGE_MAX_SIZE,
       "image larger than the L1 tables of arch/x86/mm/image.c allow")
ASSERT(start == XEN_VIRT_START, "multiboot2 header must open the image")
