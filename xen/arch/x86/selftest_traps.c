/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-tests of the trap path.
 *
 * "extable": faults that have exception-table entries resume at their
 * fixups, with the vector, error code and faulting address recorded and
 * the other registers intact.
 *
 * "fatal-trap" (manual): a fault with no fixup, two helper calls deep,
 * to show the fatal trap report. It ends the boot.
 */
#include <asm/config.h>
#include <asm/extable.h>
#include <asm/traps.h>
#include <xen/compiler.h>
#include <xen/lib.h>
#include <xen/selftest.h>

extern const struct exception_table_entry __start___ex_table[],
                                          __stop___ex_table[];

/* Written only by the fixups below: proof that a fixup ran. */
#define FIXUP_MARK 0x5afe

/* Never canonical with 48- or 57-bit linear addresses. */
#define NON_CANONICAL 0x8000000000000000UL
/* Canonical, in a region asm/config.h reserves and nothing maps. */
#define UNMAPPED (RO_MPT_VIRT_END + 0x1238)

/*
 * A reserved index in the x2APIC MSR range: reads and writes #GP whether
 * or not x2APIC mode is on, and a write that did not fault would change
 * nothing. An undefined MSR elsewhere would not do: QEMU's TCG reads
 * those as 0 and drops writes to them, without any fault.
 */
#define BOGUS_MSR 0x801U

/*
 * Each probe runs one instruction with an exception-table entry. *at
 * gets that instruction's address; the return value is FIXUP_MARK if
 * the fixup ran, 0 if the instruction completed.
 */
#define FIXUP_CODE                                                         \
    "2:\n"                                                                 \
    "    .pushsection .text.fixup, \"ax\", @progbits\n"                    \
    "3:  movl %[mark], %k[ret]\n"                                          \
    "    jmp 2b\n"                                                         \
    "    .popsection\n"                                                    \
    _ASM_EXTABLE(1b, 3b)

static unsigned int probe_read(unsigned long addr, unsigned long *val,
                               unsigned long *keep, unsigned long *at)
{
    unsigned int ret = 0;

    __asm__ __volatile__ ( "    leaq 1f(%%rip), %[at]\n"
                           "1:  movq (%[addr]), %[val]\n"
                           FIXUP_CODE
                           : [ret] "+r" (ret), [at] "=&r" (*at),
                             [val] "+r" (*val), [keep] "+r" (*keep)
                           : [addr] "r" (addr), [mark] "i" (FIXUP_MARK)
                           : "memory" );

    return ret;
}

static unsigned int probe_rdmsr(uint32_t msr, unsigned long *at)
{
    unsigned int ret = 0;
    uint32_t lo, hi;

    __asm__ __volatile__ ( "    leaq 1f(%%rip), %[at]\n"
                           "1:  rdmsr\n"
                           FIXUP_CODE
                           : [ret] "+r" (ret), [at] "=&r" (*at),
                             "=a" (lo), "=d" (hi)
                           : "c" (msr), [mark] "i" (FIXUP_MARK)
                           : "memory" );

    return ret;
}

static unsigned int probe_wrmsr(uint32_t msr, uint64_t val, unsigned long *at)
{
    unsigned int ret = 0;

    __asm__ __volatile__ ( "    leaq 1f(%%rip), %[at]\n"
                           "1:  wrmsr\n"
                           FIXUP_CODE
                           : [ret] "+r" (ret), [at] "=&r" (*at)
                           : "c" (msr), "a" ((uint32_t)val),
                             "d" ((uint32_t)(val >> 32)),
                             [mark] "i" (FIXUP_MARK)
                           : "memory" );

    return ret;
}

static unsigned int probe_ud2(unsigned long *at)
{
    unsigned int ret = 0;

    __asm__ __volatile__ ( "    leaq 1f(%%rip), %[at]\n"
                           "1:  ud2\n"
                           FIXUP_CODE
                           : [ret] "+r" (ret), [at] "=&r" (*at)
                           : [mark] "i" (FIXUP_MARK)
                           : "memory" );

    return ret;
}

/* Did the fault at 'at' take its fixup, with this vector and error code? */
static const char *check_fixup(const char *what, unsigned int ret,
                               unsigned long at, unsigned long count,
                               unsigned int vector, unsigned int ec)
{
    const struct extable_fault *f = &extable_last_fault;

    if ( ret != FIXUP_MARK )
        return selftest_fail("%s: completed without faulting", what);
    if ( f->count != count + 1 )
        return selftest_fail("%s: %lu fixed-up faults recorded, expected 1",
                             what, f->count - count);
    if ( f->rip != at )
        return selftest_fail("%s: fault recorded at %#lx, expected %#lx",
                             what, f->rip, at);
    if ( f->vector != vector )
        return selftest_fail("%s: vector %u (%s), expected %u (%s)", what,
                             f->vector, trap_name(f->vector), vector,
                             trap_name(vector));
    if ( f->error_code != ec )
        return selftest_fail("%s: error code %#x, expected %#x", what,
                             f->error_code, ec);

    return NULL;
}

static const char *selftest_extable(void)
{
    static unsigned long readable = 0x600dda7a;
    const struct exception_table_entry *e;
    unsigned long at, count, val, keep;
    unsigned int ret;
    const char *r;

    /*
     * Without faulting first: every entry is found by its instruction,
     * and an instruction with no entry has no fixup. A broken lookup
     * fails here instead of turning the probes below into fatal traps.
     */
    for ( e = __start___ex_table; e < __stop___ex_table; e++ )
    {
        unsigned long insn = (unsigned long)&e->insn + e->insn;
        unsigned long fixup = (unsigned long)&e->fixup + e->fixup;

        if ( search_exception_table(insn) != fixup )
            return selftest_fail("entry %pS -> %pS not found", (void *)insn,
                                 (void *)fixup);
    }
    if ( search_exception_table((unsigned long)selftest_extable) )
        return selftest_fail("fixup found for %pS", selftest_extable);

    /* A probe that does not fault runs straight through. */
    count = extable_last_fault.count;
    val = 0;
    keep = 0;
    ret = probe_read((unsigned long)&readable, &val, &keep, &at);
    if ( ret || val != readable || extable_last_fault.count != count )
        return selftest_fail("read of a mapped address: ret %#x val %#lx",
                             ret, val);

    /*
     * Non-canonical read: #GP(0). The value register keeps what it held
     * and so does an unrelated one, so the trap path restored them.
     */
    count = extable_last_fault.count;
    val = 0x1111;
    keep = 0x0123456789abcdefUL;
    ret = probe_read(NON_CANONICAL, &val, &keep, &at);
    if ( (r = check_fixup("non-canonical read", ret, at, count, X86_EXC_GP,
                          0)) )
        return r;
    if ( val != 0x1111 || keep != 0x0123456789abcdefUL )
        return selftest_fail("registers changed across a fixup: %#lx %#lx",
                             val, keep);

    /* Unmapped read: #PF, supervisor read of a non-present page. */
    count = extable_last_fault.count;
    ret = probe_read(UNMAPPED, &val, &keep, &at);
    if ( (r = check_fixup("unmapped read", ret, at, count, X86_EXC_PF, 0)) )
        return r;
    if ( extable_last_fault.cr2 != UNMAPPED )
        return selftest_fail("unmapped read: cr2 %#lx, expected %#lx",
                             extable_last_fault.cr2, UNMAPPED);

    count = extable_last_fault.count;
    ret = probe_rdmsr(BOGUS_MSR, &at);
    if ( (r = check_fixup("rdmsr", ret, at, count, X86_EXC_GP, 0)) )
        return r;

    count = extable_last_fault.count;
    ret = probe_wrmsr(BOGUS_MSR, 0, &at);
    if ( (r = check_fixup("wrmsr", ret, at, count, X86_EXC_GP, 0)) )
        return r;

    count = extable_last_fault.count;
    ret = probe_ud2(&at);
    if ( (r = check_fixup("ud2", ret, at, count, X86_EXC_UD, 0)) )
        return r;

    return NULL;
}
REGISTER_SELFTEST("extable", selftest_extable);

/*
 * The fatal fault. The helpers take no arguments (so the compiler has
 * nothing to specialise them on and they keep their names in the trace)
 * and do something after each call (so no call becomes a tail jump and
 * every frame stays on the stack).
 */
static volatile unsigned long *volatile fatal_trap_target =
    (volatile unsigned long *)UNMAPPED;
static volatile unsigned int fatal_trap_depth;

static void __noinline fatal_trap_inner(void)
{
    fatal_trap_depth = 2;
    *fatal_trap_target = 0xdeadbeefUL;
    fatal_trap_depth = 0;
}

static void __noinline fatal_trap_outer(void)
{
    fatal_trap_depth = 1;
    fatal_trap_inner();
    fatal_trap_depth = 0;
}

static const char *selftest_fatal_trap(void)
{
    fatal_trap_outer();
    return selftest_fail("the write to %p did not fault",
                         (void *)fatal_trap_target);
}
REGISTER_MANUAL_SELFTEST("fatal-trap", selftest_fatal_trap);
