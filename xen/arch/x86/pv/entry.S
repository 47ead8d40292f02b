/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PV guest entry by SYSCALL, and the one way back to a guest.
 *
 * Interrupts and exceptions from a guest come through entry.S's vector
 * stubs like any other (the CPU switches to TSS.rsp0, the end of the
 * CPU's guest frame), and trap_common leaves through pv_resume_guest
 * when the frame it saved is the guest frame. SYSCALL switches no
 * stack, so each CPU's LSTAR points at a stub of its own (pv/syscall.c)
 * that loads the frame's top into RSP, pushes the hardware-like part
 * (SS, RSP, RFLAGS, CS, RIP) and jumps here.
 */
#include <asm/config.h>
#include <asm/cpu-user-regs.h>
#include <asm/pv.h>

        .text

/* RSP: &guest frame->rip (the stub pushed the rest); IRQs off. */
        .globl  pv_syscall_common
        .type   pv_syscall_common, @function
pv_syscall_common:
        push    $0                      /* error code */
        push    $TRAP_syscall           /* vector */
        sub     $UREGS_vector, %rsp
        SAVE_GPRS
        cld
        xor     %ebp, %ebp              /* call traces end here */
        mov     %rsp, %rdi
        call    pv_syscall_entry
        jmp     pv_resume_guest
        .size   pv_syscall_common, . - pv_syscall_common

/*
 * RSP: the CPU's guest frame, holding the state to return to. Reached
 * by jumping (from a context switch, with a fresh stack) or from the
 * entry paths. Loops in C until nothing is left to do with interrupts
 * off (softirqs, a context switch, an upcall or a bounce to set up),
 * then restores the frame and returns to the guest.
 */
        .globl  pv_resume_guest
        .type   pv_resume_guest, @function
pv_resume_guest:
        mov     %rsp, %rdi
        call    pv_exit_work            /* returns with IRQs off */
        RESTORE_GPRS
        add     $UREGS_rip, %rsp
        /*
         * The frame was checked on the way in (ring-3 selectors, a
         * canonical RIP), so iretq cannot fault on it; a guest that
         * changed its descriptors is caught by the failsafe path later.
         */
        iretq
        .size   pv_resume_guest, . - pv_resume_guest

/*
 * The per-CPU SYSCALL stubs, one 64-byte slot per possible CPU, CPU n's
 * at syscall_stubs + 64 * n (its LSTAR). SYSCALL leaves RSP on the
 * guest's stack and GS is the guest's, so a stub can only find its CPU
 * by being that CPU's: each one names its own slots of the two tables
 * below (filled by pv_syscall_cpu_init()), RIP-relative, and the build
 * generates them all, so no code is written at run time.
 */
        .pushsection .data, "aw", @progbits
        .balign 8
        .globl  syscall_stack_top
syscall_stack_top:                      /* the CPU's guest frame top */
        .skip   8 * CONFIG_NR_CPUS
syscall_rax_save:                       /* RAX while the stub runs */
        .skip   8 * CONFIG_NR_CPUS
        .popsection

        .balign 64
        .globl  syscall_stubs
        .type   syscall_stubs, @function
syscall_stubs:
        cpu = 0
        .rept   CONFIG_NR_CPUS
        .balign 64
        mov     %rax, syscall_rax_save + 8 * cpu(%rip)
        mov     %rsp, %rax
        mov     syscall_stack_top + 8 * cpu(%rip), %rsp
        push    $FLAT_RING3_SS
        push    %rax                    /* the guest's RSP */
        push    %r11                    /* its RFLAGS */
        push    $FLAT_RING3_CS64
        push    %rcx                    /* its RIP */
        mov     syscall_rax_save + 8 * cpu(%rip), %rax
        jmp     pv_syscall_common
        cpu = cpu + 1
        .endr
        .size   syscall_stubs, . - syscall_stubs
