/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_CPU_USER_REGS_H
#define ASM_X86_CPU_USER_REGS_H

/*
 * The registers of an interrupted context, as the entry code saves them:
 * the general registers (stored by entry.S), then the vector and the
 * error code (pushed by the vector's stub, a dummy 0 where the CPU
 * pushes none), then the hardware's five-word frame. The hardware frame
 * is last, so that an entry from guest mode, whose stack starts where
 * TSS.rsp0 says, pushes straight into the end of a struct whose top is
 * there (struct cpu_info, asm/current.h).
 *
 * The UREGS_* offsets are what assembly uses; traps.c checks them
 * against the structure at build time. The size is a multiple of 16, as
 * the CPU aligns rsp0 to 16 bytes before it pushes.
 */

#define UREGS_rax        0
#define UREGS_rbx        8
#define UREGS_rcx        16
#define UREGS_rdx        24
#define UREGS_rsi        32
#define UREGS_rdi        40
#define UREGS_rbp        48
#define UREGS_r8         56
#define UREGS_r9         64
#define UREGS_r10        72
#define UREGS_r11        80
#define UREGS_r12        88
#define UREGS_r13        96
#define UREGS_r14        104
#define UREGS_r15        112
#define UREGS_vector     120
#define UREGS_error_code 128
#define UREGS_rip        136
#define UREGS_cs         144
#define UREGS_rflags     152
#define UREGS_rsp        160
#define UREGS_ss         168
#define UREGS_size       176

/* What the stub saves by itself: the fifteen general registers. */
#define UREGS_gprs_size  UREGS_vector

#ifdef __ASSEMBLY__

/*
 * The entry paths' halves of the frame's general registers, RSP pointing
 * at the frame: every entry saves all fifteen the same way, and every
 * exit restores them the same way.
 */
.macro SAVE_GPRS
        mov     %rax, UREGS_rax(%rsp)
        mov     %rbx, UREGS_rbx(%rsp)
        mov     %rcx, UREGS_rcx(%rsp)
        mov     %rdx, UREGS_rdx(%rsp)
        mov     %rsi, UREGS_rsi(%rsp)
        mov     %rdi, UREGS_rdi(%rsp)
        mov     %rbp, UREGS_rbp(%rsp)
        mov     %r8,  UREGS_r8(%rsp)
        mov     %r9,  UREGS_r9(%rsp)
        mov     %r10, UREGS_r10(%rsp)
        mov     %r11, UREGS_r11(%rsp)
        mov     %r12, UREGS_r12(%rsp)
        mov     %r13, UREGS_r13(%rsp)
        mov     %r14, UREGS_r14(%rsp)
        mov     %r15, UREGS_r15(%rsp)
.endm

.macro RESTORE_GPRS
        mov     UREGS_rax(%rsp), %rax
        mov     UREGS_rbx(%rsp), %rbx
        mov     UREGS_rcx(%rsp), %rcx
        mov     UREGS_rdx(%rsp), %rdx
        mov     UREGS_rsi(%rsp), %rsi
        mov     UREGS_rdi(%rsp), %rdi
        mov     UREGS_rbp(%rsp), %rbp
        mov     UREGS_r8(%rsp),  %r8
        mov     UREGS_r9(%rsp),  %r9
        mov     UREGS_r10(%rsp), %r10
        mov     UREGS_r11(%rsp), %r11
        mov     UREGS_r12(%rsp), %r12
        mov     UREGS_r13(%rsp), %r13
        mov     UREGS_r14(%rsp), %r14
        mov     UREGS_r15(%rsp), %r15
.endm

#else /* !__ASSEMBLY__ */

/*
 * Lowest address first, i.e. the reverse of push order. cs and ss occupy
 * 64-bit slots of which only the low 16 bits mean anything.
 */
struct cpu_user_regs {
    unsigned long rax;
    unsigned long rbx;
    unsigned long rcx;
    unsigned long rdx;
    unsigned long rsi;
    unsigned long rdi;
    unsigned long rbp;
    unsigned long r8;
    unsigned long r9;
    unsigned long r10;
    unsigned long r11;
    unsigned long r12;
    unsigned long r13;
    unsigned long r14;
    unsigned long r15;
    unsigned long vector;
    unsigned long error_code;
    unsigned long rip;
    unsigned long cs;
    unsigned long rflags;
    unsigned long rsp;
    unsigned long ss;
};

#endif /* !__ASSEMBLY__ */

#endif /* ASM_X86_CPU_USER_REGS_H */
