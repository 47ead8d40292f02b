/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-tests of the local APIC set-up and of what rides on its IPIs.
 *
 * "apic-mode": every online CPU's APIC really is in the mode the
 * hypervisor believes it chose (x2apic_enabled), as the hardware state
 * shows it: IA32_APIC_BASE's EN and EXTD bits, the BSP bit on CPU 0
 * alone, the APIC ID read through the active interface equal to the one
 * recorded at bring-up (and all distinct), the x2APIC ID MSR readable
 * in x2APIC mode and faulting in xAPIC mode, and in x2APIC mode the
 * logical ID that the hardware derives from the APIC ID. Each CPU reads
 * its own state, one CPU at a time, through on_selected_cpus().
 *
 * "fatal-smp-panic" (manual): the other CPUs spin in interrupt context
 * with interrupts off, then the boot CPU panics. The panic's NMIs must
 * still stop each of them, and each reports where it was: in the spin.
 * It ends the boot.
 */
#include <asm/apic.h>
#include <asm/atomic.h>
#include <asm/extable.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <xen/compiler.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/smp.h>

#define MSR_X2APIC_ID  (MSR_X2APIC_FIRST + (APIC_ID >> 4))
#define MSR_X2APIC_LDR (MSR_X2APIC_FIRST + (APIC_LDR >> 4))

/* What one CPU saw of its own APIC. */
struct apic_state {
    bool ran;
    unsigned int cpu;          /* smp_processor_id() where it ran */
    uint64_t apic_base;        /* IA32_APIC_BASE */
    uint32_t id;               /* through the active interface */
    uint32_t recorded_id;      /* get_cpu_info()->apic_id */
    bool id_msr_faulted;       /* RDMSR of the x2APIC ID register */
    uint64_t id_msr;
    bool ldr_msr_faulted;      /* RDMSR of the x2APIC LDR */
    uint64_t ldr_msr;
};

static struct apic_state apic_states[CONFIG_NR_CPUS];

static void read_apic_state(void *arg)
{
    struct apic_state *s = arg;

    s->cpu = smp_processor_id();
    s->apic_base = rdmsr(MSR_APIC_BASE);
    s->recorded_id = get_cpu_info()->apic_id;
    s->id_msr_faulted = rdmsr_safe(MSR_X2APIC_ID, &s->id_msr);
    s->ldr_msr_faulted = rdmsr_safe(MSR_X2APIC_LDR, &s->ldr_msr);
    /* In xAPIC mode the ID is the top byte of the MMIO register. */
    s->id = x2apic_enabled ? (uint32_t)s->id_msr : apic_read(APIC_ID) >> 24;
    s->ran = true;
}

static const char *check_apic_state(unsigned int cpu,
                                    const struct apic_state *s)
{
    bool extd = s->apic_base & APIC_BASE_EXTD;
    bool bsp = s->apic_base & APIC_BASE_BSP;

    if ( !s->ran || s->cpu != cpu )
        return selftest_fail("CPU%u: the call did not run there (ran %d, "
                             "on CPU%u)", cpu, s->ran, s->cpu);
    if ( !(s->apic_base & APIC_BASE_ENABLE) )
        return selftest_fail("CPU%u: APIC globally disabled (APIC_BASE "
                             "%#lx)", cpu, s->apic_base);
    if ( extd != x2apic_enabled )
        return selftest_fail("CPU%u: APIC_BASE %#lx has EXTD %s, but the "
                             "hypervisor runs in %s mode", cpu, s->apic_base,
                             extd ? "set" : "clear",
                             x2apic_enabled ? "x2APIC" : "xAPIC");
    if ( bsp != (cpu == 0) )
        return selftest_fail("CPU%u: APIC_BASE %#lx has BSP %s", cpu,
                             s->apic_base, bsp ? "set" : "clear");
    if ( s->id != s->recorded_id || s->id != x86_cpu_to_apicid[cpu] )
        return selftest_fail("CPU%u: APIC ID %u, recorded %u, table %u", cpu,
                             s->id, s->recorded_id, x86_cpu_to_apicid[cpu]);

    if ( x2apic_enabled )
    {
        /* The logical ID is read-only and fixed by the APIC ID. */
        uint32_t ldr = ((s->id >> 4) << 16) | (1U << (s->id & 0xf));

        if ( s->id_msr_faulted || s->ldr_msr_faulted )
            return selftest_fail("CPU%u: x2APIC MSR read faulted in x2APIC "
                                 "mode (ID %d, LDR %d)", cpu,
                                 s->id_msr_faulted, s->ldr_msr_faulted);
        if ( (uint32_t)s->ldr_msr != ldr )
            return selftest_fail("CPU%u: x2APIC LDR %#lx, expected %#x for "
                                 "APIC ID %u", cpu, s->ldr_msr, ldr, s->id);
    }
    else if ( !s->id_msr_faulted || !s->ldr_msr_faulted )
        return selftest_fail("CPU%u: x2APIC MSR read did not fault in xAPIC "
                             "mode (ID %#lx, LDR %#lx)", cpu, s->id_msr,
                             s->ldr_msr);

    return NULL;
}

static const char *selftest_apic_mode(void)
{
    cpumask_t one;
    unsigned int cpu, other;
    const char *r;

    for_each_online_cpu ( cpu )
    {
        apic_states[cpu].ran = false;
        apic_states[cpu].cpu = ~0U;
        /* One CPU at a time: the fault probes share extable_last_fault. */
        cpumask_clear(&one);
        cpumask_set_cpu(cpu, &one);
        on_selected_cpus(&one, read_apic_state, &apic_states[cpu], true);
    }

    for_each_online_cpu ( cpu )
    {
        if ( (r = check_apic_state(cpu, &apic_states[cpu])) )
            return r;
        for_each_online_cpu ( other )
            if ( other < cpu && apic_states[other].id == apic_states[cpu].id )
                return selftest_fail("CPU%u and CPU%u share APIC ID %u",
                                     other, cpu, apic_states[cpu].id);
    }

    return NULL;
}
REGISTER_SELFTEST("apic-mode", selftest_apic_mode);

/* The CPUs that have entered the spin below. */
static atomic_t panic_spinners;

/*
 * Interrupt context, interrupts off, forever: only an NMI gets a CPU out.
 * Not inlined, so that the stop report names it.
 */
static void __noinline fatal_smp_panic_spin(void *unused)
{
    atomic_inc(&panic_spinners);
    for ( ;; )
        cpu_relax();
}

static const char *selftest_fatal_smp_panic(void)
{
    unsigned int others = num_online_cpus() - 1;

    atomic_set(&panic_spinners, 0);
    /* Without wait: it returns once each CPU has taken the call. */
    smp_call_function(fatal_smp_panic_spin, NULL, false);
    while ( (unsigned int)atomic_read(&panic_spinners) != others )
        cpu_relax();

    panic("selftest: deliberate panic with %u CPUs online",
          num_online_cpus());
}
REGISTER_MANUAL_SELFTEST("fatal-smp-panic", selftest_fatal_smp_panic);
