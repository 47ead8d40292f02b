/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The AP start-up trampoline.
 *
 * An AP woken by a SIPI starts in real mode at vector << 12, so this code
 * is copied below 1 MiB (smpboot.c) and must run from wherever it lands:
 * every reference inside it is an offset from trampoline_start, and the
 * few absolute values (its own linear address, the page tables, the
 * entry point and the stack) are fields the boot CPU fills in before
 * each start-up. The AP goes real -> protected -> long mode on the
 * trampoline's page tables, which identity-map this code's page alone
 * (read-only) and share the hypervisor's upper-half L4 entries, then
 * jumps to ap_start64 in the image, which moves to the hypervisor's own
 * tables.
 *
 * It lives in .rodata: it is data to the image and is never run in place.
 */
#include <asm/config.h>

#define TR(sym)        ((sym) - trampoline_start)
#define TR_CS64        BOOT_CS /* load_system_tables() moves to the real GDT */
#define TR_DS          0x10
#define TR_CS32        0x18

#define CR0_PE         0x00000001
#define CR0_ET         0x00000010
#define CR0_NE         0x00000020
#define CR0_WP         0x00010000
#define CR0_PG         0x80000000
#define CR4_PAE        0x00000020
#define MSR_EFER       0xc0000080

        .section .rodata, "a", @progbits
        .balign 16
        .globl trampoline_start, trampoline_end
        .code16
trampoline_start:
        cli
        cld
        mov     %cs, %ax
        mov     %ax, %ds
        xor     %ebx, %ebx
        mov     %cs, %bx
        shl     $4, %ebx                /* linear address of this code */
        lgdtl   TR(tr_gdtr)
        mov     %cr0, %eax
        or      $CR0_PE, %eax
        mov     %eax, %cr0
        ljmpl   *TR(tr_far32)

        .code32
tr_start32:
        mov     $TR_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %cr4, %eax
        or      $CR4_PAE, %eax
        mov     %eax, %cr4
        mov     TR(tr_cr3)(%ebx), %eax
        mov     %eax, %cr3
        /* The boot CPU's EFER: LME, and NXE because the tables use NX. */
        mov     $MSR_EFER, %ecx
        mov     TR(tr_efer)(%ebx), %eax
        xor     %edx, %edx
        wrmsr
        /* INIT leaves CD and NW set: this value clears them. */
        mov     $(CR0_PG | CR0_WP | CR0_NE | CR0_ET | CR0_PE), %eax
        mov     %eax, %cr0
        ljmpl   *TR(tr_far64)(%ebx)

        .code64
tr_start64:
        mov     %ebx, %ebx              /* upper halves are undefined here */
        mov     TR(tr_stack)(%rbx), %rsp
        jmp     *TR(tr_entry)(%rbx)

        .balign 8
        /*
         * Accessed bits preset: the CPU would otherwise write them when
         * the 64-bit CS is loaded, through a mapping that is read-only.
         */
tr_gdt:
        .quad   0
        .quad   0x00af9b000000ffff      /* 0x08: 64-bit code */
        .quad   0x00cf93000000ffff      /* 0x10: flat data */
        .quad   0x00cf9b000000ffff      /* 0x18: flat 32-bit code */
tr_gdt_end:

        /* Filled in by smpboot.c; the offsets are exported below. */
        .balign 8
        .short  0
tr_gdtr:
        .short  tr_gdt_end - tr_gdt - 1
        .long   0                       /* linear address of tr_gdt */
tr_far32:
        .long   0                       /* linear address of tr_start32 */
        .short  TR_CS32
tr_far64:
        .long   0                       /* linear address of tr_start64 */
        .short  TR_CS64
tr_cr3:
        .long   0                       /* trampoline L4 (below 1 MiB) */
tr_efer:
        .long   0
        .balign 8
tr_entry:
        .quad   0                       /* ap_start64 (virtual) */
tr_stack:
        .quad   0                       /* the AP's stack top (virtual) */
trampoline_end:

        .globl tr_off_gdtr, tr_off_far32, tr_off_far64, tr_off_cr3
        .globl tr_off_efer, tr_off_entry, tr_off_stack, tr_off_gdt
        .globl tr_off_start32, tr_off_start64
        .balign 4
tr_off_gdt:     .long   TR(tr_gdt)
tr_off_gdtr:    .long   TR(tr_gdtr)
tr_off_far32:   .long   TR(tr_far32)
tr_off_far64:   .long   TR(tr_far64)
tr_off_cr3:     .long   TR(tr_cr3)
tr_off_efer:    .long   TR(tr_efer)
tr_off_entry:   .long   TR(tr_entry)
tr_off_stack:   .long   TR(tr_stack)
tr_off_start32: .long   TR(tr_start32)
tr_off_start64: .long   TR(tr_start64)

/*
 * First code of an AP in the image, on the trampoline's tables and its
 * own stack: move to the hypervisor's tables and enter C.
 */
        .text
        .globl ap_start64
ap_start64:
        mov     ap_cr3(%rip), %rax
        mov     %rax, %cr3
        xor     %ebp, %ebp              /* ends call traces */
        call    start_secondary
        ud2
