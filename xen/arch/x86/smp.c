/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cross-CPU calls, the idle loop, and stopping CPUs on panic
 * (xen/smp.h).
 */
#include <asm/apic.h>
#include <asm/irq-vectors.h>
#include <asm/smp.h>
#include <asm/system.h>
#include <asm/traps.h>
#include <xen/console.h>
#include <xen/flushtlb.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/spinlock.h>
#include <xen/time.h>

/* on_selected_cpus(): one call at a time, under call_lock. */
static DEFINE_SPINLOCK(call_lock);
static struct {
    smp_call_fn fn;
    void *info;
    bool wait;
    cpumask_t selected;     /* a CPU clears its bit when done with data */
} call_data;

void on_selected_cpus(const cpumask_t *mask, smp_call_fn fn, void *info,
                      bool wait)
{
    unsigned int self = smp_processor_id();
    bool here;

    ASSERT(local_irq_is_enabled());
    /*
     * A CPU spinning with interrupts off on a lock this one held would
     * never take the call (shootdowns are served while spinning, calls
     * are not).
     */
    spin_assert_none_held("on_selected_cpus()");
    spin_lock(&call_lock);

    cpumask_and(&call_data.selected, mask, &cpu_online_map);
    here = cpumask_test_and_clear_cpu(self, &call_data.selected);
    call_data.fn = fn;
    call_data.info = info;
    call_data.wait = wait;
    send_IPI_mask(&call_data.selected, CALL_FUNCTION_VECTOR);

    if ( here )
    {
        local_irq_disable();
        fn(info);
        local_irq_enable();
    }

    /* Even without wait, call_data must outlive every reader. */
    while ( !cpumask_empty(&call_data.selected) )
        cpu_relax();

    spin_unlock(&call_lock);
}

void smp_call_function(smp_call_fn fn, void *info, bool wait)
{
    cpumask_t others;

    cpumask_copy(&others, &cpu_online_map);
    cpumask_clear_cpu(smp_processor_id(), &others);
    on_selected_cpus(&others, fn, info, wait);
}

static void call_function_interrupt(struct cpu_user_regs *regs)
{
    unsigned int self = smp_processor_id();
    smp_call_fn fn = call_data.fn;
    void *info = call_data.info;

    apic_eoi();
    if ( !cpumask_test_cpu(self, &call_data.selected) )
        return;
    if ( call_data.wait )
    {
        fn(info);
        cpumask_clear_cpu(self, &call_data.selected);
    }
    else
    {
        cpumask_clear_cpu(self, &call_data.selected);
        fn(info);
    }
}

/* on_cpus_idle(): the work is picked up by CALL_IDLE_SOFTIRQ. */
static DEFINE_SPINLOCK(idle_call_lock);
static struct {
    smp_call_fn fn;
    void *info;
    cpumask_t pending;
    atomic_t left;
} idle_call;

void on_cpus_idle(const cpumask_t *mask, smp_call_fn fn, void *info)
{
    unsigned int self = smp_processor_id();
    cpumask_t targets;

    ASSERT(local_irq_is_enabled());
    spin_lock(&idle_call_lock);

    cpumask_and(&targets, mask, &cpu_online_map);
    cpumask_clear_cpu(self, &targets);
    idle_call.fn = fn;
    idle_call.info = info;
    atomic_set(&idle_call.left, cpumask_weight(&targets));
    cpumask_copy(&idle_call.pending, &targets);
    cpumask_raise_softirq(&targets, CALL_IDLE_SOFTIRQ);

    if ( cpumask_test_cpu(self, mask) )
        fn(info);

    /*
     * Keep running this CPU's softirqs meanwhile: the others' work may
     * depend on them (a timer one of them moved here must still fire).
     */
    while ( atomic_read(&idle_call.left) )
    {
        do_softirq();
        cpu_relax();
    }

    spin_unlock(&idle_call_lock);
}

static void call_idle_softirq(void)
{
    if ( !cpumask_test_and_clear_cpu(smp_processor_id(), &idle_call.pending) )
        return;
    idle_call.fn(idle_call.info);
    atomic_dec(&idle_call.left);
}

void __noreturn idle_loop(void)
{
    unsigned int cpu = smp_processor_id();

    /* A context switch to the idle vCPU arrives here with them off. */
    local_irq_enable();
    for ( ;; )
    {
        do_softirq();
        local_irq_disable();
        if ( softirq_pending(cpu) )
        {
            local_irq_enable();
            continue;
        }
        /* sti takes effect after hlt starts: no wake-up slips between. */
        __asm__ __volatile__ ( "sti; hlt" ::: "memory" );
    }
}

void smp_cpu_ready(unsigned int cpu)
{
    /* A fresh CPU holds no translations: count it as flushed now. */
    flush_tlb_local();
}

/* Panic: every other CPU reports where it was and halts. */
static cpumask_t stop_pending;
static DEFINE_SPINLOCK(stop_print_lock);

static bool stop_nmi(struct cpu_user_regs *regs)
{
    unsigned int self = smp_processor_id();

    if ( !cpumask_test_cpu(self, &stop_pending) )
        return false;

    spin_lock(&stop_print_lock);
    printk(XENLOG_ERR "CPU%u stopped by the panic, it was at %pS:\n", self,
           (void *)regs->rip);
    show_stack_trace(regs);
    spin_unlock(&stop_print_lock);
    cpumask_clear_cpu(self, &stop_pending);

    for ( ;; )
        __asm__ __volatile__ ( "cli; hlt" );
}

void smp_send_stop(void)
{
    unsigned int cpu;
    s_time_t end;

    cpumask_copy(&stop_pending, &cpu_online_map);
    cpumask_clear_cpu(smp_processor_id(), &stop_pending);
    if ( cpumask_empty(&stop_pending) )
        return;

    for_each_cpu ( cpu, &stop_pending )
        apic_send_icr(x86_cpu_to_apicid[cpu], APIC_DM_NMI);

    end = NOW() + SECONDS(1);
    while ( !cpumask_empty(&stop_pending) && NOW() < end )
        cpu_relax();
    if ( !cpumask_empty(&stop_pending) )
        printk(XENLOG_ERR "%u CPU(s) did not stop\n",
               cpumask_weight(&stop_pending));
}

void __init smp_intr_init(void)
{
    set_intr_handler(CALL_FUNCTION_VECTOR, call_function_interrupt);
    set_nmi_callback(stop_nmi);
    open_softirq(CALL_IDLE_SOFTIRQ, call_idle_softirq);
    softirq_init();
    flushtlb_init();
}
