/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_EXTABLE_H
#define ASM_X86_EXTABLE_H

/*
 * Exception fixups: an instruction that may fault on purpose (a probe of
 * an MSR, a guest memory access) is listed with a fixup address. When
 * it faults, do_trap() resumes at the fixup instead of reporting a fatal
 * trap.
 *
 *   _ASM_EXTABLE(from, to)
 *
 * works in C inline assembly (it expands to a string) and in .S files.
 * "from" labels the instruction that may fault, "to" where to resume.
 * At the fixup every register holds what it held when the instruction
 * faulted; only RIP differs. Fixup code usually lives out of line in
 * section .text.fixup (any .text.* section is linked with the text).
 *
 * Only faults that report the faulting instruction's address take a
 * fixup (#DE #UD #NM #TS #NP #SS #GP #PF #MF #AC #XM); traps and aborts
 * (#DB #BP #DF NMI #MC) never do.
 *
 * Each entry is two 32-bit offsets, each relative to its own address:
 * half the size of absolute pointers, and correct wherever the image is
 * linked.
 */

#ifdef __ASSEMBLY__

#define _ASM_EXTABLE(from, to)                                             \
    .pushsection .ex_table, "a" ;                                          \
    .balign 8 ;                                                            \
    .long (from) - . ;                                                     \
    .long (to) - . ;                                                       \
    .popsection

#else

#include <xen/percpu.h>
#include <xen/types.h>

#define _ASM_EXTABLE(from, to)                                             \
    "    .pushsection .ex_table, \"a\"\n"                                  \
    "    .balign 8\n"                                                      \
    "    .long (" #from ") - .\n"                                          \
    "    .long (" #to ") - .\n"                                            \
    "    .popsection\n"

struct exception_table_entry {
    int32_t insn;   /* faulting instruction, relative to &insn */
    int32_t fixup;  /* where to resume, relative to &fixup */
};

/* The fixup for a faulting instruction at addr, or 0 if it has none. */
unsigned long search_exception_table(unsigned long addr);

/*
 * What the last fixed-up fault was, for code that needs more than "it
 * faulted" (which vector, which error code). do_trap() fills it in just
 * before resuming at the fixup, so it is valid right there and until the
 * next fixed-up fault. There is one CPU so far; this becomes per-CPU
 * when the others are brought up.
 */
struct extable_fault {
    unsigned long count;      /* fixed-up faults since boot */
    unsigned long rip;        /* the faulting instruction */
    unsigned long cr2;        /* #PF only: the faulting linear address */
    unsigned int vector;
    unsigned int error_code;
};
DECLARE_PER_CPU(struct extable_fault, extable_fault_info);
/* This CPU's last fixed-up fault: CPUs fault concurrently. */
#define extable_last_fault this_cpu(extable_fault_info)

/*
 * Writes val to *p through an exception-table entry: returns true if the
 * write faulted (and was skipped), false if it happened. For self-tests
 * proving that an address is read-only or unmapped.
 */
/*
 * The tail of a probing asm statement whose instruction at label 1 may
 * fault: a fault sets the "faulted" operand to 1 and resumes after it.
 */
#define _ASM_PROBE_FIXUP                                                   \
    "2:\n"                                                                 \
    "    .pushsection .text.fixup, \"ax\", @progbits\n"                    \
    "3:  movl $1, %[faulted]\n"                                            \
    "    jmp 2b\n"                                                         \
    "    .popsection\n"                                                    \
    _ASM_EXTABLE(1b, 3b)

/* Reads *p into *val unless that faults; true if it faulted. */
static inline bool probe_read_u64(const volatile uint64_t *p, uint64_t *val)
{
    unsigned int faulted = 0;
    uint64_t v = 0;

    __asm__ __volatile__ ( "1:  movq %[mem], %[v]\n"
                           _ASM_PROBE_FIXUP
                           : [faulted] "+r" (faulted), [v] "+r" (v)
                           : [mem] "m" (*p) );
    *val = v;

    return faulted;
}

static inline bool probe_write(volatile uint64_t *p, uint64_t val)
{
    unsigned int faulted = 0;

    __asm__ __volatile__ ( "1:  movq %[val], %[mem]\n"
                           _ASM_PROBE_FIXUP
                           : [faulted] "+r" (faulted), [mem] "=m" (*p)
                           : [val] "r" (val) );

    return faulted;
}

/* RDMSR unless it faults (#GP: no such MSR); *val untouched if it does. */
static inline bool rdmsr_safe(uint32_t msr, uint64_t *val)
{
    unsigned int faulted = 0;
    uint32_t lo = 0, hi = 0;

    __asm__ __volatile__ ( "1:  rdmsr\n"
                           _ASM_PROBE_FIXUP
                           : [faulted] "+r" (faulted), "+a" (lo), "+d" (hi)
                           : "c" (msr)
                           : "memory" );
    if ( !faulted )
        *val = ((uint64_t)hi << 32) | lo;

    return faulted;
}

#endif /* __ASSEMBLY__ */

#endif /* ASM_X86_EXTABLE_H */
