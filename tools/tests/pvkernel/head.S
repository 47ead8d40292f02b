/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry, ELF notes, hypercall page, recovery points and the trap and
 * callback entry points of the PV test kernel.
 *
 * The hypervisor enters at _start in ring 3 on the page tables it built,
 * with RSI = start_info, events masked and a boot stack we do not use.
 */
#include <public/xen.h>
#include "elfnote-dup.h"

/* One Xen ELF note: namesz 4 ("Xen\0"), descsz, type, then the value. */
#define XEN_NOTE(type, body)                                \
    .balign 4;                                              \
    .long 4, 2f - 1f, type;                                 \
    .asciz "Xen";                                           \
1:  body;                                                   \
2:  .balign 4

    .section .note.Xen, "a", @note
    XEN_NOTE(XEN_ELFNOTE_GUEST_OS,       .asciz "Xenon-pvtest")
    XEN_NOTE(XEN_ELFNOTE_GUEST_VERSION,  .asciz "1")
    XEN_NOTE(XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0")
    XEN_NOTE(XEN_ELFNOTE_LOADER,         .asciz "generic")
    XEN_NOTE(XEN_ELFNOTE_VIRT_BASE,      .quad PVK_VIRT_BASE)
    XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET,   .quad 0)
    XEN_NOTE(XEN_ELFNOTE_ENTRY,          .quad _start)
    XEN_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)
#ifndef PVK_FEATURES
#define PVK_FEATURES "!writable_page_tables"
#endif
    XEN_NOTE(XEN_ELFNOTE_FEATURES,       .asciz PVK_FEATURES)
    XEN_NOTE(XEN_ELFNOTE_SUPPORTED_FEATURES,
             .long (1 << XENFEAT_writable_page_tables) | (1 << XENFEAT_dom0))

    .text
    .globl _start
_start:
    lea     boot_stack_top(%rip), %rsp
    mov     %rsi, %rdi
    call    pvkernel_main
1:  ud2
    jmp     1b

/* Filled by the hypervisor: stub N at N * 32. */
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

/* int pv_setjmp(struct pv_jmp_buf *b) */
    .globl pv_setjmp
pv_setjmp:
    mov     %rbx, 0(%rdi)
    mov     %rbp, 8(%rdi)
    mov     %r12, 16(%rdi)
    mov     %r13, 24(%rdi)
    mov     %r14, 32(%rdi)
    mov     %r15, 40(%rdi)
    lea     8(%rsp), %rax
    mov     %rax, 48(%rdi)
    mov     (%rsp), %rax
    mov     %rax, 56(%rdi)
    xor     %eax, %eax
    ret

/* void pv_longjmp(struct pv_jmp_buf *b, int val) */
    .globl pv_longjmp
pv_longjmp:
    mov     0(%rdi), %rbx
    mov     8(%rdi), %rbp
    mov     16(%rdi), %r12
    mov     24(%rdi), %r13
    mov     32(%rdi), %r14
    mov     40(%rdi), %r15
    mov     48(%rdi), %rsp
    mov     %esi, %eax
    jmp     *56(%rdi)

/*
 * Exception entry. Xen's 64-bit PV bounce frame, lowest address first:
 * rcx, r11, [error code], rip, cs, rflags, rsp, ss. The stubs restore
 * rcx and r11 from it and make the frame uniform: vector, error code.
 */
.macro TRAP_NOEC vec
    .globl trap_\vec
trap_\vec:
    pop     %rcx
    pop     %r11
    push    $0
    push    $\vec
    jmp     trap_common
.endm
.macro TRAP_EC vec
    .globl trap_\vec
trap_\vec:
    pop     %rcx
    pop     %r11
    push    $\vec
    jmp     trap_common
.endm

    TRAP_NOEC 0
    TRAP_NOEC 1
    TRAP_NOEC 2
    TRAP_NOEC 3
    TRAP_NOEC 4
    TRAP_NOEC 5
    TRAP_NOEC 6
    TRAP_NOEC 7
    TRAP_EC   8
    TRAP_NOEC 9
    TRAP_EC   10
    TRAP_EC   11
    TRAP_EC   12
    TRAP_EC   13
    TRAP_EC   14
    TRAP_NOEC 16
    TRAP_EC   17
    TRAP_NOEC 18
    TRAP_NOEC 19
    TRAP_NOEC 0x80
    TRAP_NOEC 0x81
    TRAP_NOEC 0x100     /* event upcall: rcx, r11, rip, cs, rflags, rsp, ss */
    TRAP_NOEC 0x102     /* syscall from user: likewise */

/* Failsafe: rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss. */
    .globl trap_0x101
trap_0x101:
    pop     %rcx
    pop     %r11
    add     $32, %rsp
    push    $0
    push    $0x101
    jmp     trap_common

trap_common:
    push    %rdi
    push    %rsi
    push    %rdx
    push    %rcx
    push    %rax
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, %rdi
    mov     %rsp, %rbx
    and     $-16, %rsp
    call    do_trap
    mov     %rbx, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rax
    pop     %rcx
    pop     %rdx
    pop     %rsi
    pop     %rdi
    add     $16, %rsp               /* vector, error code */
    /* rip, cs, rflags, rsp, ss remain: the iret hypercall pops them. */
    pushq   iret_flags(%rip)
    movq    $0, iret_flags(%rip)
    jmp     hypercall_page + __HYPERVISOR_iret * 32

    .data
    .globl iret_flags
iret_flags:                         /* VGCF_in_syscall for the next iret */
    .quad 0

/*
 * User-mode program, copied to a user page by check-user.c. It runs from
 * any address: syscall with rax = 1 (the kernel returns to it), int3,
 * int $0x80, then syscall with rax = 2 (the kernel does not return).
 */
    .text
    .globl user_prog, user_prog_end
user_prog:
    mov     $0x1111, %rdi
    mov     $1, %eax
    syscall
    mov     %rax, %r12              /* what the kernel put in rax */
    int3
    int     $0x80
    mov     %r12, %rdi
    mov     $2, %eax
    syscall
1:  jmp     1b
user_prog_end:

    .bss
    .balign 4096
boot_stack:
    .skip 32768
    .globl boot_stack_top
boot_stack_top:
    .globl user_entry_stack_top
    .skip 16384
user_entry_stack_top:
