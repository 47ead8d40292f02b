/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test kernel's layout: one read-write-execute segment from
 * VIRT_BASE + 4 KiB (the page at VIRT_BASE stays unused, so that the
 * VIRT_BASE 0 build has no valid null pointer once main.c unmaps it) and
 * the Xen notes in a PT_NOTE segment. Physical addresses are virtual
 * minus VIRT_BASE, as the PADDR_OFFSET 0 note says.
 */
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(_start)

PHDRS
{
    text PT_LOAD FLAGS(7);
    note PT_NOTE FLAGS(4);
}

SECTIONS
{
    . = PVK_VIRT_BASE + 0x1000;
    _start_image = .;
    .text : AT(ADDR(.text) - PVK_VIRT_BASE)
    {
        *(.text .text.*)
    } :text
    .rodata : AT(ADDR(.rodata) - PVK_VIRT_BASE)
    {
        *(.rodata .rodata.*)
    } :text
    .note.Xen : AT(ADDR(.note.Xen) - PVK_VIRT_BASE)
    {
        *(.note.Xen)
    } :text :note
    .data : AT(ADDR(.data) - PVK_VIRT_BASE)
    {
        . = ALIGN(16);
        __start_pvtests = .;
        KEEP(*(.pvtests))
        __stop_pvtests = .;
        *(.data .data.*)
    } :text
    .bss : AT(ADDR(.bss) - PVK_VIRT_BASE)
    {
        *(.bss .bss.*)
        *(COMMON)
        . = ALIGN(4096);
    } :text
    _end = .;
    /DISCARD/ : { *(.note.gnu.property) *(.comment) *(.eh_frame) }
}
