/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduler: per-CPU run queues, round robin with time slices.
 *
 * Each CPU has a FIFO of runnable vCPUs and a slice timer. schedule()
 * (SCHEDULE_SOFTIRQ) takes the head of the queue (the current vCPU goes
 * to the tail once its state is saved, if it can still run), or, when
 * the queue is empty, a waiting vCPU from another CPU's queue that may
 * run here (its affinity allows this CPU), or the CPU's idle vCPU; then
 * context_switch(), which does not return. A vCPU queued on a busy CPU
 * pokes an idle CPU its affinity allows, so that it takes it. That
 * stealing is the only balancing: round robin on each CPU, idle CPUs
 * pull work, nothing moves a vCPU that is running.
 *
 * Locking: a CPU's queue, and the on_runq/is_running state of the vCPUs
 * whose processor it is, are under that CPU's sched lock, taken with
 * interrupts off (timers wake vCPUs from interrupt context). A vCPU's
 * processor changes only when an idle CPU steals it off a queue, holding
 * both CPUs' locks (the source's by trylock, so two stealers cannot
 * deadlock); lock_vcpu() retries until the lock it holds is that of the
 * vCPU's processor. A running vCPU is never stolen. is_running
 * stays set from the moment schedule() picks a vCPU until its state is
 * saved after it is switched out (sched_context_saved()); a wake that
 * comes in between is picked up there, so none is lost.
 */
#include <xen/string.h>
#include <xen/init.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/percpu.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <asm/smp.h>

#define SLICE MILLISECS(10)

struct sched_cpu {
    spinlock_t lock;
    struct list_head runq;
    struct timer slice_timer;
    bool ready;                  /* the CPU runs its idle vCPU's loop */
};

static DEFINE_PER_CPU(struct sched_cpu, sched_cpu);

unsigned int opt_dom0_max_vcpus_min = 1, opt_dom0_max_vcpus_max = ~0U;
bool opt_dom0_vcpus_pin;
boolean_param("dom0_vcpus_pin", opt_dom0_vcpus_pin);

/* dom0_max_vcpus=N or N-M (a range, as Xen has it; M may be "max"). */
static int parse_dom0_max_vcpus(const char *s)
{
    const char *end;
    unsigned long lo = simple_strtoull(s, &end, 0), hi = lo;

    if ( end == s || lo == 0 )
        return -EINVAL;
    if ( *end == '-' )
    {
        s = end + 1;
        if ( !strcmp(s, "max") )
        {
            hi = ~0U;
            end = s + 3;
        }
        else
            hi = simple_strtoull(s, &end, 0);
        if ( end == s || hi < lo )
            return -EINVAL;
    }
    if ( *end )
        return -EINVAL;
    opt_dom0_max_vcpus_min = lo;
    opt_dom0_max_vcpus_max = hi;
    return 0;
}
custom_param("dom0_max_vcpus", parse_dom0_max_vcpus);

static bool vcpu_runnable(const struct vcpu *v)
{
    return !v->pause_flags && !atomic_read(&v->pause_count) &&
           !atomic_read(&v->domain->pause_count);
}

static void runstate_change(struct vcpu *v, int s, s_time_t now)
{
    if ( v->runstate == s )
        return;
    if ( now > v->runstate_entry )
        v->runstate_time[v->runstate] += now - v->runstate_entry;
    v->runstate_entry = now;
    v->runstate = s;
}

static int idle_state(const struct vcpu *v)
{
    return test_bit(_VPF_down, &v->pause_flags) ? RUNSTATE_offline
                                                 : RUNSTATE_blocked;
}

static void slice_expired(void *unused)
{
    raise_softirq(SCHEDULE_SOFTIRQ);
}

void sched_init_vcpu(struct vcpu *v, unsigned int cpu)
{
    v->processor = cpu;
    v->runstate = is_idle_vcpu(v) ? RUNSTATE_running : RUNSTATE_offline;
    v->runstate_entry = NOW();
    if ( is_idle_vcpu(v) || (opt_dom0_vcpus_pin && !v->domain->domain_id) )
        cpumask_set_cpu(cpu, &v->cpu_affinity);
    else
        cpumask_copy(&v->cpu_affinity, &cpu_online_map);
}

void sched_destroy_vcpu(struct vcpu *v)
{
    ASSERT(!v->is_running && !v->on_runq);
    kill_timer(&v->singleshot_timer);
    kill_timer(&v->poll_timer);
}

static bool cpu_idles(unsigned int cpu)
{
    return per_cpu(sched_cpu, cpu).ready && is_idle_vcpu(curr_on(cpu));
}

/* Under the CPU's lock: queue v if it can run and is neither queued nor
 * running; kick its CPU if it sits idle, else an idle CPU that may run
 * it. */
static void queue_if_runnable(struct vcpu *v, s_time_t now)
{
    unsigned int cpu = v->processor, other;

    if ( v->is_running || v->on_runq || !vcpu_runnable(v) )
        return;
    list_add_tail(&v->runq_elem, &per_cpu(sched_cpu, cpu).runq);
    v->on_runq = true;
    runstate_change(v, RUNSTATE_runnable, now);
    if ( cpu_idles(cpu) )
    {
        cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
        return;
    }
    for_each_cpu ( other, &v->cpu_affinity )
        if ( other != cpu && cpu_online(other) && cpu_idles(other) )
        {
            cpu_raise_softirq(other, SCHEDULE_SOFTIRQ);
            return;
        }
}

/* Locks v's processor's queue: the one v is on when the lock is held. */
static struct sched_cpu *lock_vcpu(const struct vcpu *v, unsigned long *flags)
{
    for ( ;; )
    {
        unsigned int cpu = read_atomic(&v->processor);
        struct sched_cpu *sc = &per_cpu(sched_cpu, cpu);

        spin_lock_irqsave(&sc->lock, *flags);
        if ( read_atomic(&v->processor) == cpu )
            return sc;
        spin_unlock_irqrestore(&sc->lock, *flags);
    }
}

void vcpu_wake(struct vcpu *v)
{
    unsigned long flags;
    struct sched_cpu *sc = lock_vcpu(v, &flags);

    queue_if_runnable(v, NOW());
    spin_unlock_irqrestore(&sc->lock, flags);
}

void vcpu_sleep_nosync(struct vcpu *v)
{
    unsigned long flags;
    struct sched_cpu *sc = lock_vcpu(v, &flags);

    if ( !vcpu_runnable(v) )
    {
        if ( v->on_runq )
        {
            list_del_init(&v->runq_elem);
            v->on_runq = false;
            runstate_change(v, idle_state(v), NOW());
        }
        if ( v->is_running )
            cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
    }
    spin_unlock_irqrestore(&sc->lock, flags);
}

void vcpu_sleep_sync(struct vcpu *v)
{
    ASSERT(v != current);
    vcpu_sleep_nosync(v);
    while ( read_atomic(&v->is_running) && !vcpu_runnable(v) )
        cpu_relax();
    smp_mb(); /* its saved state is read after this */
}

void vcpu_yield(void)
{
    raise_softirq(SCHEDULE_SOFTIRQ);
}

void vcpu_block(void)
{
    struct vcpu *v = current;

    set_bit(_VPF_blocked, &v->pause_flags);
    smp_mb(); /* the flag is visible before the pending check */
    if ( vcpu_event_pending(v) )
        clear_bit(_VPF_blocked, &v->pause_flags);
    else
        raise_softirq(SCHEDULE_SOFTIRQ);
}

void sched_context_saved(struct vcpu *prev)
{
    unsigned long flags;
    struct sched_cpu *sc = lock_vcpu(prev, &flags);

    prev->is_running = false;
    queue_if_runnable(prev, NOW());
    spin_unlock_irqrestore(&sc->lock, flags);
}

/*
 * Under this CPU's lock, with its queue empty: a waiting vCPU of another
 * CPU that may run here, taken off its queue and made this CPU's; or
 * NULL. Busy queues are skipped (trylock), never waited for.
 */
static struct vcpu *steal(unsigned int cpu)
{
    unsigned int other;

    for_each_online_cpu ( other )
    {
        struct sched_cpu *o = &per_cpu(sched_cpu, other);
        struct vcpu *v, *found = NULL;

        if ( other == cpu || list_empty(&o->runq) ||
             !spin_trylock(&o->lock) )
            continue;
        list_for_each_entry ( v, &o->runq, runq_elem )
            if ( !v->is_running && cpumask_test_cpu(cpu, &v->cpu_affinity) )
            {
                found = v;
                break;
            }
        if ( found )
        {
            list_del_init(&found->runq_elem);
            found->on_runq = false;
            write_atomic(&found->processor, cpu);
        }
        spin_unlock(&o->lock);
        if ( found )
            return found;
    }

    return NULL;
}

static void schedule(void)
{
    unsigned int cpu = smp_processor_id();
    struct sched_cpu *sc = &this_cpu(sched_cpu);
    struct vcpu *prev = current, *next;
    s_time_t now;

    if ( !sc->ready )
        return;

    spin_lock_irq(&sc->lock);
    now = NOW();

    if ( list_empty(&sc->runq) )
    {
        next = vcpu_runnable(prev) && !is_idle_vcpu(prev) ? prev : steal(cpu);
        if ( !next )
            next = idle_vcpu[cpu];
    }
    else
    {
        next = list_first_entry(&sc->runq, struct vcpu, runq_elem);
        list_del_init(&next->runq_elem);
        next->on_runq = false;
    }

    if ( !is_idle_vcpu(next) )
    {
        next->slice_end = now + SLICE;
        set_timer(&sc->slice_timer, next->slice_end);
    }
    else
        stop_timer(&sc->slice_timer);

    if ( next == prev )
    {
        spin_unlock_irq(&sc->lock);
        return;
    }

    runstate_change(prev, vcpu_runnable(prev) || is_idle_vcpu(prev)
                          ? RUNSTATE_runnable : idle_state(prev), now);
    runstate_change(next, RUNSTATE_running, now);
    next->is_running = true;
    next->processor = cpu;
    spin_unlock(&sc->lock);

    /* Interrupts stay off into the switch. */
    context_switch(prev, next);
}

/*
 * From now on this CPU schedules: called by each CPU just before it
 * enters its idle loop for good (before, its stack holds boot work that
 * a context switch would throw away).
 */
void sched_cpu_ready(void)
{
    struct sched_cpu *sc = &this_cpu(sched_cpu);

    sc->ready = true;
    raise_softirq(SCHEDULE_SOFTIRQ);
}

void sched_cpu_init(unsigned int cpu)
{
    struct sched_cpu *sc = &per_cpu(sched_cpu, cpu);

    spin_lock_init(&sc->lock);
    INIT_LIST_HEAD(&sc->runq);
    init_timer(&sc->slice_timer, slice_expired, NULL, cpu);
}

void __init sched_init(void)
{
    open_softirq(SCHEDULE_SOFTIRQ, schedule);
}

void sched_dump_runqueues(void)
{
    unsigned int cpu;

    for_each_online_cpu ( cpu )
    {
        struct sched_cpu *sc = &per_cpu(sched_cpu, cpu);
        const struct vcpu *c = curr_on(cpu), *v;
        unsigned long flags;

        spin_lock_irqsave(&sc->lock, flags);
        printk("CPU%u: running d%uv%u; queue:", cpu,
               c ? c->domain->domain_id : 0, c ? c->vcpu_id : 0);
        list_for_each_entry ( v, &sc->runq, runq_elem )
            printk(" d%uv%u", v->domain->domain_id, v->vcpu_id);
        printk("\n");
        spin_unlock_irqrestore(&sc->lock, flags);
    }
}
