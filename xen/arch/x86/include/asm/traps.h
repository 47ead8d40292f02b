/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_TRAPS_H
#define ASM_X86_TRAPS_H

/*
 * Exceptions and interrupts taken in the hypervisor.
 *
 * Every IDT vector enters through a stub in entry.S that makes the stack
 * look the same whatever the vector: a dummy error code where the CPU
 * pushes none, the vector, then all general registers. The result is a
 * struct cpu_user_regs (asm/cpu-user-regs.h), which do_trap() receives.
 */

#include <asm/cpu-user-regs.h>

/* Architectural exception vectors. */
#define X86_EXC_DE   0  /* divide error */
#define X86_EXC_DB   1  /* debug */
#define X86_EXC_NMI  2  /* non-maskable interrupt */
#define X86_EXC_BP   3  /* breakpoint (int3) */
#define X86_EXC_OF   4  /* overflow (into) */
#define X86_EXC_BR   5  /* bound range exceeded */
#define X86_EXC_UD   6  /* invalid opcode */
#define X86_EXC_NM   7  /* device not available */
#define X86_EXC_DF   8  /* double fault */
#define X86_EXC_TS   10 /* invalid TSS */
#define X86_EXC_NP   11 /* segment not present */
#define X86_EXC_SS   12 /* stack-segment fault */
#define X86_EXC_GP   13 /* general protection */
#define X86_EXC_PF   14 /* page fault */
#define X86_EXC_MF   16 /* x87 floating point */
#define X86_EXC_AC   17 /* alignment check */
#define X86_EXC_MC   18 /* machine check */
#define X86_EXC_XM   19 /* SIMD floating point */
#define X86_EXC_VE   20 /* virtualisation exception */
#define X86_EXC_CP   21 /* control protection */
#define X86_EXC_HV   28 /* hypervisor injection (AMD) */
#define X86_EXC_VC   29 /* VMM communication (AMD) */
#define X86_EXC_SX   30 /* security exception (AMD) */

#define X86_NR_EXCEPTIONS 32
#define X86_NR_VECTORS    256

/*
 * Vectors for which the CPU pushes an error code. Only meaningful for
 * exceptions: external interrupts and INT n never push one.
 */
#define X86_EXC_HAVE_EC ((1 << X86_EXC_DF) | (1 << X86_EXC_TS) |           \
                         (1 << X86_EXC_NP) | (1 << X86_EXC_SS) |           \
                         (1 << X86_EXC_GP) | (1 << X86_EXC_PF) |           \
                         (1 << X86_EXC_AC) | (1 << X86_EXC_CP) |           \
                         (1 << X86_EXC_VC) | (1 << X86_EXC_SX))

/* #PF error code bits. */
#define PFEC_present     (1 << 0)
#define PFEC_write       (1 << 1)
#define PFEC_user        (1 << 2)
#define PFEC_reserved    (1 << 3)
#define PFEC_insn_fetch  (1 << 4)
#define PFEC_prot_key    (1 << 5)
#define PFEC_shadow_stk  (1 << 6)

/* Interrupt stack table slots (1-based, as in the IDT gate). */
#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3
#define IST_MAX 3

#ifndef __ASSEMBLY__

#include <xen/types.h>
#include <asm/page.h>       /* read_cr3() */

/*
 * Boot CPU: builds and loads the final GDT (with a TSS carrying IST
 * stacks for #DF, NMI and #MC) and an IDT covering all 256 vectors, then
 * reloads the segment registers. Until it runs, any exception triple
 * faults.
 */
void trap_init(void);

/*
 * Builds this CPU's GDT and TSS (IST stacks from its stack block) and
 * loads them and the shared IDT. trap_init() on the boot CPU; each AP
 * as it starts.
 */
void load_system_tables(void);

/* Called by entry.S for every vector, with the saved state. */
void do_trap(struct cpu_user_regs *regs);

/*
 * Handlers for vectors 32-255 (interrupts and INT n). A vector without
 * one is reported as unexpected. Boot-time registration; the handler
 * runs with interrupts off on the interrupted CPU's stack.
 */
typedef void (*intr_handler_t)(struct cpu_user_regs *regs);
void set_intr_handler(unsigned int vector, intr_handler_t handler);

#include <asm/irq-vectors.h>

/*
 * Called first for every NMI; returns true if it dealt with it (the
 * panic stop of xen/arch/x86/smp.c). Anything else is fatal.
 */
typedef bool (*nmi_callback_t)(struct cpu_user_regs *regs);
void set_nmi_callback(nmi_callback_t cb);

/* "#PF page fault" style name of an exception vector. */
const char *trap_name(unsigned int vector);

/*
 * The register dump and call trace of a trap report; show_gprs() is the
 * rax-r14 lines of it, which guest vCPU reports print too.
 */
void show_gprs(const struct cpu_user_regs *regs);
void show_registers(const struct cpu_user_regs *regs);
void show_stack_trace(const struct cpu_user_regs *regs);

/* Prints the caller's call trace (for BUG/WARN/ASSERT). */
void dump_execution_state(void);

/*
 * If addr lies in a stack the hypervisor knows (a CPU's primary stack or
 * one of its IST stacks), gives its bounds [*lo, *hi) and returns true. Used to
 * keep the frame-pointer walk inside one stack.
 */
bool get_stack_bounds(unsigned long addr, unsigned long *lo,
                      unsigned long *hi);

static inline unsigned long read_cr0(void)
{
    unsigned long cr0;

    __asm__ __volatile__ ( "mov %%cr0, %0" : "=r" (cr0) );
    return cr0;
}

static inline unsigned long read_cr2(void)
{
    unsigned long cr2;

    __asm__ __volatile__ ( "mov %%cr2, %0" : "=r" (cr2) );
    return cr2;
}

static inline unsigned long read_cr4(void)
{
    unsigned long cr4;

    __asm__ __volatile__ ( "mov %%cr4, %0" : "=r" (cr4) );
    return cr4;
}

#endif /* !__ASSEMBLY__ */

#endif /* ASM_X86_TRAPS_H */
