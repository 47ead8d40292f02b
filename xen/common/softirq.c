/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Softirqs: a pending bitmap per CPU, set by anyone, cleared and run only
 * by its own CPU.
 */
#include <asm/apic.h>
#include <asm/irq-vectors.h>
#include <asm/atomic.h>
#include <asm/smp.h>
#include <asm/system.h>
#include <asm/traps.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/percpu.h>
#include <xen/softirq.h>

static DEFINE_PER_CPU(unsigned long, softirq_pending_mask);
static softirq_handler handlers[NR_SOFTIRQS];

void __init open_softirq(unsigned int nr, softirq_handler h)
{
    BUG_ON(nr >= NR_SOFTIRQS || handlers[nr]);
    handlers[nr] = h;
}

bool softirq_pending(unsigned int cpu)
{
    return read_atomic(&per_cpu(softirq_pending_mask, cpu)) != 0;
}

void raise_softirq(unsigned int nr)
{
    set_bit(nr, &this_cpu(softirq_pending_mask));
}

void cpu_raise_softirq(unsigned int cpu, unsigned int nr)
{
    /* Already pending: the earlier raise sent (or will send) the IPI. */
    if ( test_and_set_bit(nr, &per_cpu(softirq_pending_mask, cpu)) ||
         cpu == smp_processor_id() )
        return;
    apic_send_icr(x86_cpu_to_apicid[cpu], APIC_DM_FIXED | EVENT_CHECK_VECTOR);
}

void smp_send_event_check_cpu(unsigned int cpu)
{
    apic_send_icr(x86_cpu_to_apicid[cpu], APIC_DM_FIXED | EVENT_CHECK_VECTOR);
}

void cpumask_raise_softirq(const cpumask_t *mask, unsigned int nr)
{
    unsigned int cpu;

    for_each_cpu ( cpu, mask )
        cpu_raise_softirq(cpu, nr);
}

void do_softirq(void)
{
    unsigned long *pending = &this_cpu(softirq_pending_mask);
    unsigned int nr;

    ASSERT(local_irq_is_enabled());
    while ( (nr = find_first_bit(pending, NR_SOFTIRQS)) < NR_SOFTIRQS )
    {
        clear_bit(nr, pending);
        if ( handlers[nr] )
            handlers[nr]();
    }
}

/* The IPI only has to interrupt hlt; the idle loop then looks. */
static void event_check_interrupt(struct cpu_user_regs *regs)
{
    apic_eoi();
}

void __init softirq_init(void)
{
    set_intr_handler(EVENT_CHECK_VECTOR, event_check_interrupt);
}
