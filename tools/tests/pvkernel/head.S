/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry, ELF notes, hypercall page, recovery points and the trap and
 * callback entry points of the PV test kernel.
 *
 * The hypervisor enters at _start in ring 3 on the page tables it built,
 * with RSI = start_info, events masked and a boot stack we do not use.
 */
#include <public/xen.h>
#include <public/elfnote.h>
#include <public/features.h>

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
#ifdef PVK_INIT_P2M
    /* The p2m list at this address, outside the boot region (as Linux). */
    XEN_NOTE(XEN_ELFNOTE_INIT_P2M,       .quad PVK_INIT_P2M)
    /* And the initrd as a pfn range, unmapped (as Linux). */
    XEN_NOTE(XEN_ELFNOTE_MOD_START_PFN,  .long 1)
#endif
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
 * void enter_user(rip, rsp, rflags): the iret hypercall's frame (the stub
 * pushes rcx, r11 and rax itself) with a CS of RPL 3, which makes the
 * hypervisor switch to the user page tables and user mode.
 */
    .text
    .globl enter_user
enter_user:
    pushq   $FLAT_USER_SS
    push    %rsi
    push    %rdx
    pushq   $FLAT_USER_CS
    push    %rdi
    pushq   $0                      /* not VGCF_in_syscall */
    xor     %eax, %eax
    xor     %ecx, %ecx
    xor     %r11d, %r11d
    jmp     hypercall_page + __HYPERVISOR_iret * 32

/*
 * User-mode programs, copied to a user page by check-user.c; they run from
 * any address. The kernel's syscall handler takes rax = 1 (returns, rax
 * = 0x7777), 3 (yields, returns) and 2 (exit: the kernel never returns).
 */
    .globl user_prog, user_prog_end, user_sys1_after, user_int3_after
    .globl user_int80_after, user_sys2_after, user_fsgs, user_pf
    .globl user_pf_site
user_prog:
    mov     $0x1111, %rdi
    mov     $1, %eax
    syscall
user_sys1_after:
    mov     %rax, %rdi              /* what the kernel put in rax */
    int3
user_int3_after:
    int     $0x80
user_int80_after:
    mov     $2, %eax
    syscall
user_sys2_after:
1:  jmp     1b

/* FS and GS bases as user mode sees them, around a syscall that yields. */
user_fsgs:
    mov     %fs:0, %rdi
    mov     %gs:0, %rsi
    mov     $3, %eax
    syscall
    mov     %fs:0, %rdx
    mov     %gs:0, %r8
    mov     $2, %eax
    syscall
1:  jmp     1b

/* A write to an unmapped user address (check-user.c's USER_PF_VA). */
user_pf:
    movabs  $0x8000100008, %rax
user_pf_site:
    movq    $1, (%rax)
1:  jmp     1b
user_prog_end:

/*
 * A secondary vCPU starts here (VCPUOP_initialise's user_regs.rip) with
 * rsp at the top of its stack and rdi = its argument.
 */
    .globl secondary_entry
secondary_entry:
    and     $-16, %rsp
    call    secondary_main
1:  ud2
    jmp     1b

    .bss
    .balign 4096
boot_stack:
    .skip 32768
    .globl boot_stack_top
boot_stack_top:
    .globl user_entry_stack_top
    .skip 16384
user_entry_stack_top:
