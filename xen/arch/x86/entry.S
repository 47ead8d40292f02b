/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception and interrupt entry.
 *
 * One small stub per IDT vector gives every entry the same stack shape
 * (struct cpu_user_regs, asm/traps.h): a zero error code where the CPU
 * pushes none, the vector number, then the general registers saved by
 * the common path. entry_stub_table lists the stubs' addresses in vector
 * order for trap_init() to put in the IDT.
 */
#include <asm/config.h>
#include <asm/traps.h>

        .text

/*
 * Shared by all stubs. The CPU aligned RSP to 16 bytes before pushing its
 * five-word frame; with the error code, the vector and fifteen registers
 * the structure is 176 bytes, so RSP is 16-byte aligned again here, and
 * stays so after the two-word frame record below, as the C ABI wants at
 * the call.
 */
        .type   trap_common, @function
trap_common:
        cld
        sub     $UREGS_gprs_size, %rsp
        SAVE_GPRS

        /*
         * A frame record as if the interrupted instruction had called us,
         * so that a call trace taken inside the handler (a WARN, say)
         * walks on into the interrupted code.
         */
        push    UREGS_rip(%rsp)
        push    %rbp
        mov     %rsp, %rbp

        lea     16(%rsp), %rdi
        call    do_trap
        add     $16, %rsp

        /*
         * From a guest, on the CPU's guest frame (not an IST stack): the
         * way back to a guest is pv_resume_guest, which may switch to
         * another vCPU first.
         */
        testb   $3, UREGS_cs(%rsp)
        jz      1f
        mov     %rsp, %rax
        and     $(STACK_SIZE - 1), %eax
        cmp     $(STACK_SIZE - CPUINFO_SIZE), %eax
        je      pv_resume_guest
1:

        /* do_trap() may have changed any of these (a fixup moves RIP). */
        RESTORE_GPRS
        /* Drop the registers, the vector and the error code. */
        add     $(UREGS_rip), %rsp
        iretq
        .size   trap_common, . - trap_common

/*
 * The stubs. They carry no symbols of their own, so a call trace names
 * them entry_stubs+offset; the vector is in the report anyway.
 */
        .pushsection .rodata.entry_stub_table, "a", @progbits
        .balign 8
        .globl  entry_stub_table
entry_stub_table:
        .popsection

        .globl  entry_stubs
        .type   entry_stubs, @function
        .balign 16
entry_stubs:
        vec = 0
        .rept   X86_NR_VECTORS
        .balign 8
1:
        /* Separate tests: the shift is out of range for vectors >= 64. */
        .if vec >= X86_NR_EXCEPTIONS
        push    $0
        .elseif ((X86_EXC_HAVE_EC >> vec) & 1) == 0
        push    $0
        .endif
        push    $vec
        jmp     trap_common
        .pushsection .rodata.entry_stub_table, "a", @progbits
        .quad   1b
        .popsection
        vec = vec + 1
        .endr
        .size   entry_stubs, . - entry_stubs

        .pushsection .rodata.entry_stub_table, "a", @progbits
        .size   entry_stub_table, . - entry_stub_table
        .type   entry_stub_table, @object
        .popsection
