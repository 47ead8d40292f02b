/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry from GRUB2 (multiboot2), BIOS or UEFI alike.
 *
 * GRUB enters __start32 in 32-bit protected mode, paging off, with
 * EAX = multiboot2 magic and EBX = physical address of the boot
 * information. The image may have been relocated (relocatable tag), so
 * everything here is computed from the address we actually run at:
 * EBP holds the physical address of XEN_VIRT_START throughout.
 *
 * The early page tables built here map exactly two things:
 *   - the first 4 GiB 1:1 with 2 MiB pages, only so that the instruction
 *     that turns paging on and the jump to the high image keep running;
 *     the 64-bit code removes it (L4 slot 0) before calling C;
 *   - the image at XEN_VIRT_START with 2 MiB pages.
 * Plus an empty L1 table for the bootmap window through which C code
 * reaches firmware structures. There is no direct map.
 */
#include <asm/config.h>

#define MB2_HEADER_MAGIC  0xe85250d6
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_ARCH_I386     0

#define sym_offs(s) ((s) - XEN_VIRT_START)
#define sym_phys(s) (sym_offs(s) + XEN_LOAD_MIN)

#define PTE_P    0x001
#define PTE_RW   0x002
#define PTE_PSE  0x080
#define PTE_TABLE (PTE_P | PTE_RW)

#define L4_SLOT(va) (((va) >> 39) & 511)
#define L3_SLOT(va) (((va) >> 30) & 511)
#define L2_SLOT(va) (((va) >> 21) & 511)

#define COM1 0x3f8

        .section .text.header, "ax", @progbits
        .code32

        .globl start
        .balign 8
start:
mb2_header:
        .long   MB2_HEADER_MAGIC
        .long   MB2_ARCH_I386
        .long   mb2_header_end - mb2_header
        .long   -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

        /* Address tag: load the flat file as it is, zero the BSS after it. */
        .balign 8
        .short  2, 0
        .long   24
        .long   sym_phys(mb2_header)    /* header_addr */
        .long   sym_phys(__image_start) /* load_addr */
        .long   0                       /* load_end_addr: whole file */
        .long   sym_phys(__bss_end)     /* bss_end_addr */

        /* Entry address tag (32-bit, both under BIOS and under UEFI). */
        .balign 8
        .short  3, 0
        .long   12
        .long   sym_phys(__start32)

        /* Relocatable tag: any 2 MiB-aligned address, low preferred. */
        .balign 8
        .short  10, 0
        .long   24
        .long   XEN_LOAD_MIN
        .long   XEN_LOAD_MAX
        .long   XEN_LOAD_ALIGN
        .long   1

        /* End tag. */
        .balign 8
        .short  0, 0
        .long   8
mb2_header_end:

/*
 * Prints on COM1 without a stack or any memory: each character becomes
 * its own poll-and-write sequence. Only for the fatal messages printed
 * before C can run, when we may not even know where we are loaded.
 *
 * GAS cannot substitute a macro argument inside a character literal, so
 * messages are given as hex digits (two per byte), their text in a
 * comment next to them.
 */
.macro early_putc c
        mov     $(COM1 + 5), %dx
9:      inb     %dx, %al                /* label 9 is reserved for this */
        test    $0x20, %al
        jz      9b
        mov     $COM1, %dx
        mov     $(\c), %al
        outb    %al, %dx
.endm

.macro early_puts_hex hex
        .set    .Lhigh_nibble, -1
        .irpc   d, \hex
        .if     .Lhigh_nibble < 0
        .set    .Lhigh_nibble, 0x\d
        .else
        early_putc ((.Lhigh_nibble << 4) | 0x\d)
        .set    .Lhigh_nibble, -1
        .endif
        .endr
.endm

.macro early_fail hex
        call_early_uart_init
        early_puts_hex \hex
        jmp     early_halt
.endm

/* 115200 8n1, FIFOs on, interrupts off. */
.macro call_early_uart_init
        mov     $(COM1 + 1), %dx
        xor     %al, %al
        outb    %al, %dx                /* IER: no interrupts */
        mov     $(COM1 + 3), %dx
        mov     $0x80, %al
        outb    %al, %dx                /* LCR: DLAB */
        mov     $COM1, %dx
        mov     $1, %al
        outb    %al, %dx                /* DLL: 115200 */
        mov     $(COM1 + 1), %dx
        xor     %al, %al
        outb    %al, %dx                /* DLM */
        mov     $(COM1 + 3), %dx
        mov     $0x03, %al
        outb    %al, %dx                /* LCR: 8n1 */
        mov     $(COM1 + 2), %dx
        mov     $0x07, %al
        outb    %al, %dx                /* FCR */
.endm

__start32:
        cli
        cld

        cmp     $MB2_BOOTLOADER_MAGIC, %eax
        je      1f
        /* "(XEN) ERR: not started by a multiboot2 loader (bad magic); halting.\r\n" */
        early_fail 2858454e29204552523a206e6f7420737461727465642062792061206d756c7469626f6f7432206c6f616465722028626164206d61676963293b2068616c74696e672e0d0a
1:
        /*
         * No stack is defined at entry. The word at EBX+4 is the reserved
         * field of the multiboot2 information, so a call with ESP = EBX+8
         * only overwrites that field, and tells us where we run.
         */
        lea     8(%ebx), %esp
        call    2f
2:      pop     %ebp
        sub     $sym_offs(2b), %ebp
        mov     %ebx, %esi              /* multiboot2 info; CPUID clobbers EBX */

        /* Long mode needed: CPUID 0x80000001 EDX bit 29. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      3f
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jc      4f
        /* "(XEN) ERR: this CPU does not support 64-bit long mode; halting.\r\n" */
3:      early_fail 2858454e29204552523a20746869732043505520646f6573206e6f7420737570706f72742036342d626974206c6f6e67206d6f64653b2068616c74696e672e0d0a
4:
        /* Clear BSS (GRUB does too, but do not depend on it). */
        lea     sym_offs(__bss_start)(%ebp), %edi
        lea     sym_offs(__bss_end)(%ebp), %ecx
        sub     %edi, %ecx
        shr     $2, %ecx
        xor     %eax, %eax
        rep stosl

        lea     sym_offs(cpu0_stack + STACK_SIZE - CPUINFO_SIZE)(%ebp), %esp

        /* L4: slot 0 -> identity L3, Xen's slot -> l3_xen. */
        lea     sym_offs(l3_ident)(%ebp), %eax
        or      $PTE_TABLE, %eax
        mov     %eax, sym_offs(idle_pg_table)(%ebp)
        lea     sym_offs(l3_xen)(%ebp), %eax
        or      $PTE_TABLE, %eax
        mov     %eax, sym_offs(idle_pg_table + 8 * L4_SLOT(XEN_VIRT_START))(%ebp)

        /* Identity L3[0..3] -> l2_ident[0..3]; 2048 2 MiB pages = 4 GiB. */
        xor     %ecx, %ecx
5:      mov     %ecx, %eax
        shl     $12, %eax
        lea     sym_offs(l2_ident)(%ebp, %eax), %eax
        or      $PTE_TABLE, %eax
        mov     %eax, sym_offs(l3_ident)(%ebp, %ecx, 8)
        inc     %ecx
        cmp     $4, %ecx
        jb      5b

        xor     %ecx, %ecx
6:      mov     %ecx, %eax
        shl     $21, %eax
        or      $(PTE_P | PTE_RW | PTE_PSE), %eax
        mov     %eax, sym_offs(l2_ident)(%ebp, %ecx, 8)
        inc     %ecx
        cmp     $2048, %ecx
        jb      6b

        /* l3_xen: the image's GiB and the bootmap window's GiB. */
        lea     sym_offs(l2_xen)(%ebp), %eax
        or      $PTE_TABLE, %eax
        mov     %eax, sym_offs(l3_xen + 8 * L3_SLOT(XEN_VIRT_START))(%ebp)
        lea     sym_offs(l2_bootmap)(%ebp), %eax
        or      $PTE_TABLE, %eax
        mov     %eax, sym_offs(l3_xen + 8 * L3_SLOT(BOOTMAP_VIRT_START))(%ebp)
        lea     sym_offs(l1_bootmap)(%ebp), %eax
        or      $PTE_TABLE, %eax
        mov     %eax, sym_offs(l2_bootmap + 8 * L2_SLOT(BOOTMAP_VIRT_START))(%ebp)

        /* The image: as many 2 MiB pages as it spans. */
        mov     $sym_offs(__image_end + XEN_LOAD_ALIGN - 1), %ecx
        shr     $21, %ecx
        xor     %edi, %edi
7:      mov     %edi, %eax
        shl     $21, %eax
        add     %ebp, %eax
        or      $(PTE_P | PTE_RW | PTE_PSE), %eax
        mov     %eax, sym_offs(l2_xen)(%ebp, %edi, 8)
        inc     %edi
        cmp     %ecx, %edi
        jb      7b

        /* GDT base is only known now. */
        lea     sym_offs(boot_gdt)(%ebp), %eax
        mov     %eax, sym_offs(boot_gdtr + 2)(%ebp)
        lgdt    sym_offs(boot_gdtr)(%ebp)

        /* PAE, then EFER.LME and NXE, then paging. */
        mov     %cr4, %eax
        or      $0x20, %eax
        mov     %eax, %cr4
        lea     sym_offs(idle_pg_table)(%ebp), %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx
        rdmsr
        or      $0x100, %eax            /* LME */
        wrmsr
        mov     %cr0, %eax
        or      $0x80010001, %eax       /* PG | WP | PE */
        mov     %eax, %cr0

        lea     sym_offs(start64)(%ebp), %eax
        push    $BOOT_CS
        push    %eax
        lret

early_halt:
        cli
        hlt
        jmp     early_halt

        .code64
start64:
        /* Still at the physical address; move to the linked address. */
        movabs  $high_start, %rax
        jmp     *%rax

        .text
high_start:
        mov     $BOOT_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs

        mov     %rbp, xen_phys_start(%rip)
        lea     cpu0_stack + STACK_SIZE - CPUINFO_SIZE(%rip), %rsp

        /* Retire the identity map: nothing below the hypervisor is mapped. */
        movq    $0, idle_pg_table(%rip)
        mov     %cr3, %rax
        mov     %rax, %cr3

        xor     %ebp, %ebp              /* ends call traces */
        mov     %esi, %edi              /* multiboot2 info (physical) */
        call    __start_xen
        ud2

        .section .data, "aw", @progbits
        .balign 8
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff      /* 0x08: 64-bit code */
        .quad   0x00cf92000000ffff      /* 0x10: data */
boot_gdt_end:
        .balign 8
        .short  0
boot_gdtr:
        .short  boot_gdt_end - boot_gdt - 1
        .long   0                       /* base: filled at run time */

        .globl xen_phys_start
xen_phys_start:
        .quad   0

        .section .bss.page_aligned, "aw", @nobits
        .balign 4096
        .globl idle_pg_table, l2_bootmap, l1_bootmap
idle_pg_table:  .skip 4096
l3_ident:       .skip 4096
l2_ident:       .skip 4096 * 4
l3_xen:         .skip 4096
l2_xen:         .skip 4096
l2_bootmap:     .skip 4096
l1_bootmap:     .skip 4096
        /* Aligned to its size: struct cpu_info is found by rounding %rsp. */
        .balign STACK_SIZE
        .globl cpu0_stack
cpu0_stack:     .skip STACK_SIZE
