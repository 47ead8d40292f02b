/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What happens after entry.S: exception fixups, and the fatal trap
 * report (registers, control registers, symbolised call trace).
 */
#include <asm/config.h>
#include <asm/extable.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <xen/compiler.h>
#include <xen/lib.h>
#include <xen/symbols.h>

/* Deep enough for any real chain; a loop in a corrupt chain ends here. */
#define MAX_TRACE_DEPTH 64

/*
 * Faults whose saved RIP is the faulting instruction and after which
 * resuming elsewhere is sound. Traps (#DB, #BP) report the next
 * instruction, and aborts (#DF, #MC) or NMIs are not caused by the
 * instruction at RIP at all.
 */
#define FIXUP_VECTORS ((1U << X86_EXC_DE) | (1U << X86_EXC_UD) |           \
                       (1U << X86_EXC_NM) | (1U << X86_EXC_TS) |           \
                       (1U << X86_EXC_NP) | (1U << X86_EXC_SS) |           \
                       (1U << X86_EXC_GP) | (1U << X86_EXC_PF) |           \
                       (1U << X86_EXC_MF) | (1U << X86_EXC_AC) |           \
                       (1U << X86_EXC_XM))

DEFINE_PER_CPU(struct extable_fault, extable_fault_info);

extern const struct exception_table_entry __start___ex_table[],
                                          __stop___ex_table[];

static const char *const exception_names[X86_NR_EXCEPTIONS] = {
    [X86_EXC_DE]  = "#DE divide error",
    [X86_EXC_DB]  = "#DB debug",
    [X86_EXC_NMI] = "NMI",
    [X86_EXC_BP]  = "#BP breakpoint",
    [X86_EXC_OF]  = "#OF overflow",
    [X86_EXC_BR]  = "#BR bound range exceeded",
    [X86_EXC_UD]  = "#UD invalid opcode",
    [X86_EXC_NM]  = "#NM device not available",
    [X86_EXC_DF]  = "#DF double fault",
    [9]           = "coprocessor segment overrun",
    [X86_EXC_TS]  = "#TS invalid TSS",
    [X86_EXC_NP]  = "#NP segment not present",
    [X86_EXC_SS]  = "#SS stack-segment fault",
    [X86_EXC_GP]  = "#GP general protection",
    [X86_EXC_PF]  = "#PF page fault",
    [X86_EXC_MF]  = "#MF x87 floating point",
    [X86_EXC_AC]  = "#AC alignment check",
    [X86_EXC_MC]  = "#MC machine check",
    [X86_EXC_XM]  = "#XM SIMD floating point",
    [X86_EXC_VE]  = "#VE virtualisation exception",
    [X86_EXC_CP]  = "#CP control protection",
    [X86_EXC_HV]  = "#HV hypervisor injection",
    [X86_EXC_VC]  = "#VC VMM communication",
    [X86_EXC_SX]  = "#SX security exception",
};

const char *trap_name(unsigned int vector)
{
    if ( vector < X86_NR_EXCEPTIONS && exception_names[vector] )
        return exception_names[vector];

    return vector < X86_NR_EXCEPTIONS ? "reserved" : "interrupt";
}

/*
 * Linear: the table holds a handful of entries and is searched only when
 * a fault happens. Sort it at boot and bisect once it grows to hundreds
 * of entries or faults with fixups become frequent.
 */
unsigned long search_exception_table(unsigned long addr)
{
    const struct exception_table_entry *e;

    for ( e = __start___ex_table; e < __stop___ex_table; e++ )
        if ( (unsigned long)&e->insn + e->insn == addr )
            return (unsigned long)&e->fixup + e->fixup;

    return 0;
}

/*
 * One line of a call trace. A return address is the instruction after a
 * call; when the call was the last instruction of its function (a
 * noreturn callee) that is already the next function, so return
 * addresses are looked up one byte back. The offset printed is still
 * that of the address itself.
 */
static void print_frame(unsigned long addr, bool is_return, bool guessed)
{
    char name[KSYM_NAME_LEN];
    unsigned long size, offset;
    const char *mark = guessed ? "? " : "";

    if ( !is_return )
    {
        printk(XENLOG_ERR "   [<%016lx>] %s%pS\n", addr, mark, (void *)addr);
        return;
    }

    if ( !symbols_lookup(addr - 1, &size, &offset, name) )
    {
        printk(XENLOG_ERR "   [<%016lx>] %s???\n", addr, mark);
        return;
    }

    printk(XENLOG_ERR "   [<%016lx>] %s%s+0x%lx/0x%lx\n", addr, mark, name,
           offset + 1, size);
}

/*
 * Does addr follow a call instruction in the image's code? Checks the
 * usual encodings: call rel32, and call through a register or memory
 * operand (with or without a REX prefix).
 */
static bool after_call(unsigned long addr)
{
    char name[KSYM_NAME_LEN];
    unsigned long size, offset;
    const uint8_t *p = (const uint8_t *)addr;

    /* Only the image's code is known to be mapped and readable. */
    if ( !symbols_lookup(addr - 1, &size, &offset, name) ||
         !symbols_lookup(addr - 6, &size, &offset, name) )
        return false;

    if ( p[-5] == 0xe8 )                                   /* rel32 */
        return true;
    if ( p[-2] == 0xff && (p[-1] & 0xf8) == 0xd0 )         /* *%reg */
        return true;
    if ( p[-3] == 0xff && (p[-2] & 0xf8) == 0x50 )         /* *d8(%reg) */
        return true;
    if ( p[-6] == 0xff && ((p[-5] & 0xf8) == 0x90 ||       /* *d32(%reg) */
                           p[-5] == 0x15) )                /* *d32(%rip) */
        return true;

    return false;
}

/*
 * Follows the chain of saved RBPs from fp, each frame being {saved RBP,
 * return address}. sp is a live stack pointer on the same stack: frames
 * must lie above it and inside that stack, 8-byte aligned, each further
 * up than the last, so that a corrupt chain stops the walk instead of
 * faulting.
 */
static void walk_frames(unsigned long fp, unsigned long sp)
{
    unsigned long lo, hi;
    unsigned int depth;

    if ( !get_stack_bounds(sp, &lo, &hi) )
    {
        printk(XENLOG_ERR "   (stack pointer %016lx is on no known stack)\n",
               sp);
        return;
    }
    if ( sp > lo )
        lo = sp;

    for ( depth = 0; fp; depth++ )
    {
        const unsigned long *frame = (const unsigned long *)fp;

        if ( depth == MAX_TRACE_DEPTH )
        {
            printk(XENLOG_ERR "   (trace cut at %u frames)\n", depth);
            return;
        }
        if ( (fp & 7) || fp < lo || fp > hi - 2 * sizeof(*frame) )
        {
            printk(XENLOG_ERR "   (frame pointer %016lx off the stack)\n", fp);
            return;
        }
        if ( !frame[1] )
            return;

        print_frame(frame[1], true, false);

        if ( frame[0] && frame[0] <= fp )
        {
            printk(XENLOG_ERR "   (frame pointer %016lx does not go up)\n",
                   frame[0]);
            return;
        }
        fp = frame[0];
    }
}

/*
 * GCC sets up no frame in a leaf function that does not touch the stack,
 * even with -fno-omit-frame-pointer. A fault there leaves RBP at the
 * caller's frame, and the caller's own return address, at the top of the
 * stack, would be missing from the trace. Print it, marked '?' as it was
 * found by looking rather than through the frame chain, if it looks like
 * a return address and the chain does not already start with it.
 */
static void show_frameless_caller(const struct cpu_user_regs *regs)
{
    unsigned long lo, hi, ret;

    if ( (regs->rsp & 7) || !get_stack_bounds(regs->rsp, &lo, &hi) ||
         regs->rsp + sizeof(ret) > hi )
        return;

    ret = *(const unsigned long *)regs->rsp;
    if ( !after_call(ret) )
        return;

    if ( !(regs->rbp & 7) && regs->rbp >= regs->rsp &&
         regs->rbp + 2 * sizeof(ret) <= hi &&
         ((const unsigned long *)regs->rbp)[1] == ret )
        return;

    print_frame(ret, true, true);
}

void show_stack_trace(const struct cpu_user_regs *regs)
{
    printk(XENLOG_ERR "Xen call trace:\n");
    print_frame(regs->rip, false, false);
    show_frameless_caller(regs);
    walk_frames(regs->rbp, regs->rsp);
}

void __noinline dump_execution_state(void)
{
    unsigned long sp;

    __asm__ __volatile__ ( "mov %%rsp, %0" : "=r" (sp) );
    printk(XENLOG_ERR "Xen call trace:\n");
    walk_frames((unsigned long)__builtin_frame_address(0), sp);
}

/* rax to r14, three a line: what every register report shares. */
void show_gprs(const struct cpu_user_regs *regs)
{
    printk(XENLOG_ERR "rax: %016lx   rbx: %016lx   rcx: %016lx\n",
           regs->rax, regs->rbx, regs->rcx);
    printk(XENLOG_ERR "rdx: %016lx   rsi: %016lx   rdi: %016lx\n",
           regs->rdx, regs->rsi, regs->rdi);
    printk(XENLOG_ERR "rbp: %016lx   rsp: %016lx   r8:  %016lx\n",
           regs->rbp, regs->rsp, regs->r8);
    printk(XENLOG_ERR "r9:  %016lx   r10: %016lx   r11: %016lx\n",
           regs->r9, regs->r10, regs->r11);
    printk(XENLOG_ERR "r12: %016lx   r13: %016lx   r14: %016lx\n",
           regs->r12, regs->r13, regs->r14);
}

void show_registers(const struct cpu_user_regs *regs)
{
    printk(XENLOG_ERR "RIP:    %04lx:[<%016lx>] %pS\n", regs->cs & 0xffff,
           regs->rip, (void *)regs->rip);
    printk(XENLOG_ERR "RFLAGS: %016lx\n", regs->rflags);
    show_gprs(regs);
    printk(XENLOG_ERR "r15: %016lx   cs: %04lx   ss: %04lx\n",
           regs->r15, regs->cs & 0xffff, regs->ss & 0xffff);
    printk(XENLOG_ERR "cr0: %016lx   cr2: %016lx   cr3: %016lx\n",
           read_cr0(), read_cr2(), read_cr3());
    printk(XENLOG_ERR "cr4: %016lx\n", read_cr4());
}

static void print_page_fault(const struct cpu_user_regs *regs,
                             unsigned long cr2)
{
    unsigned long ec = regs->error_code;

    printk(XENLOG_ERR "Page fault: %s %s %s linear address %016lx%s%s\n",
           ec & PFEC_user ? "user" : "supervisor",
           ec & PFEC_insn_fetch ? "instruction fetch" :
           ec & PFEC_write ? "write" : "read",
           ec & PFEC_present ? "denied at" : "of unmapped",
           cr2,
           ec & PFEC_reserved ? ", reserved bit set in a page-table entry"
                              : "",
           ec & PFEC_prot_key ? ", protection key" : "");
}

static void __noreturn fatal_trap(const struct cpu_user_regs *regs)
{
    static unsigned int depth;
    unsigned int vec = regs->vector;
    unsigned long cr2 = read_cr2();

    /*
     * A fault while reporting a fault: say so as simply as possible and
     * stop, rather than loop through the same report.
     */
    if ( depth++ )
    {
        printk(XENLOG_ERR "FATAL TRAP %u at %016lx while reporting one\n",
               vec, regs->rip);
        for ( ;; )
            __asm__ __volatile__ ( "cli; hlt" );
    }

    printk(XENLOG_ERR "----[ Xenon %d.%d  x86_64  %s ]----\n", XEN_VERSION,
           XEN_SUBVERSION, IS_ENABLED(CONFIG_DEBUG) ? "debug" : "release");
    printk(XENLOG_ERR "FATAL TRAP: vector %u (%s), error code %04lx\n",
           vec, trap_name(vec), regs->error_code);
    if ( vec == X86_EXC_PF )
        print_page_fault(regs, cr2);
    show_registers(regs);
    show_stack_trace(regs);

    if ( vec == X86_EXC_PF )
        panic("FATAL TRAP: vector = %u (%s)\n"
              "[error_code=%04lx], faulting linear address %016lx",
              vec, trap_name(vec), regs->error_code, cr2);
    if ( (X86_EXC_HAVE_EC >> vec) & 1 )
        panic("FATAL TRAP: vector = %u (%s)\n[error_code=%04lx]",
              vec, trap_name(vec), regs->error_code);
    panic("FATAL TRAP: vector = %u (%s)", vec, trap_name(vec));
}

/* Handlers of vectors 32-255; set at boot, read in interrupt context. */
static intr_handler_t intr_handlers[X86_NR_VECTORS];

static nmi_callback_t nmi_callback;

void set_nmi_callback(nmi_callback_t cb)
{
    nmi_callback = cb;
}

void set_intr_handler(unsigned int vector, intr_handler_t handler)
{
    BUG_ON(vector < X86_NR_EXCEPTIONS || vector >= X86_NR_VECTORS);
    intr_handlers[vector] = handler;
}

void do_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->vector;
    unsigned long fixup;

    BUILD_BUG_ON(offsetof(struct cpu_user_regs, rax) != UREGS_rax);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, rbx) != UREGS_rbx);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, rcx) != UREGS_rcx);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, rdx) != UREGS_rdx);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, rsi) != UREGS_rsi);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, rdi) != UREGS_rdi);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, rbp) != UREGS_rbp);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, r8) != UREGS_r8);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, r9) != UREGS_r9);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, r10) != UREGS_r10);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, r11) != UREGS_r11);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, r12) != UREGS_r12);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, r13) != UREGS_r13);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, r14) != UREGS_r14);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, r15) != UREGS_r15);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, vector) != UREGS_vector);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, error_code) !=
                 UREGS_error_code);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, rip) != UREGS_rip);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, cs) != UREGS_cs);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, rflags) != UREGS_rflags);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, rsp) != UREGS_rsp);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, ss) != UREGS_ss);
    BUILD_BUG_ON(sizeof(struct cpu_user_regs) != UREGS_size);
    BUILD_BUG_ON(UREGS_size % 16);

    if ( vec == X86_EXC_NMI && nmi_callback && nmi_callback(regs) )
        return;

    if ( vec >= X86_NR_EXCEPTIONS && intr_handlers[vec] )
    {
        intr_handlers[vec](regs);
        return;
    }

    if ( vec >= X86_NR_EXCEPTIONS )
    {
        /*
         * Interrupts stay disabled for now, so this is an INT n or a
         * stray (spurious) vector: note it and carry on. No EOI is sent,
         * as nothing programs an interrupt controller yet.
         */
        printk(XENLOG_WARNING "Unexpected interrupt: vector %u at %pS\n",
               vec, (void *)regs->rip);
        return;
    }

    /*
     * An exception of a guest's own (ring 3; NMI, #DF and #MC come on IST
     * stacks and stay the hypervisor's) goes back to the guest.
     */
    if ( (regs->cs & 3) == 3 && vec != X86_EXC_NMI && vec != X86_EXC_DF &&
         vec != X86_EXC_MC )
    {
        pv_trap(regs);
        return;
    }

    if ( ((FIXUP_VECTORS >> vec) & 1) &&
         (fixup = search_exception_table(regs->rip)) != 0 )
    {
        extable_last_fault.count++;
        extable_last_fault.rip = regs->rip;
        extable_last_fault.cr2 = vec == X86_EXC_PF ? read_cr2() : 0;
        extable_last_fault.vector = vec;
        extable_last_fault.error_code = regs->error_code;
        regs->rip = fixup;
        return;
    }

    fatal_trap(regs);
}
