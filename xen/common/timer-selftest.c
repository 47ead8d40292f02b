/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * "timers": on every online CPU at once, timers armed with shuffled
 * deadlines 1-20 ms ahead must each run exactly once, in deadline order,
 * never before their deadline, on the CPU they belong to; a stopped one
 * never runs; a re-armed one runs once, at its new time; one migrated to
 * the next CPU runs there. Also: udelay(1000) lasts at least 1 ms of
 * NOW().
 *
 * The worker runs inside a softirq (on_cpus_idle()), so the TIMER_SOFTIRQ
 * that would run its timers cannot run until it returns: it waits by
 * calling do_softirq() itself, which runs the pending timer softirq (the
 * softirq that runs the worker has already been cleared, so it is not
 * re-entered).
 */
#include <asm/smp.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/string.h>
#include <xen/timer.h>

#define NR_TEST_TIMERS 8

struct fired {
    s_time_t at;
    unsigned int order;       /* 1-based position in the firing sequence */
    unsigned int cpu;
    unsigned int count;
};

struct cpu_timers {
    struct timer timers[NR_TEST_TIMERS];
    struct fired fired[NR_TEST_TIMERS];
    struct timer stopped, rearmed, migrated;
    struct fired stopped_f, rearmed_f, migrated_f;
    unsigned int sequence;
    s_time_t worst_late;
    char why[96];
};

static struct cpu_timers cpu_timers[CONFIG_NR_CPUS];

static void record(void *arg)
{
    struct fired *f = arg;
    struct cpu_timers *ct = &cpu_timers[smp_processor_id()];

    f->at = NOW();
    f->cpu = smp_processor_id();
    f->order = ++ct->sequence;
    f->count++;
}

static unsigned int next_online(unsigned int cpu)
{
    unsigned int n = cpumask_next(cpu, &cpu_online_map);

    return n < CONFIG_NR_CPUS ? n : cpumask_first(&cpu_online_map);
}

static bool all_fired(const struct cpu_timers *ct)
{
    unsigned int i;

    for ( i = 0; i < NR_TEST_TIMERS; i++ )
        if ( !read_atomic(&ct->fired[i].count) )
            return false;
    return read_atomic(&ct->rearmed_f.count) &&
           read_atomic(&ct->migrated_f.count);
}

static void timers_worker(void *unused)
{
    unsigned int cpu = smp_processor_id(), i, slot[NR_TEST_TIMERS];
    struct cpu_timers *ct = &cpu_timers[cpu];
    uint64_t seed = 0x2545f4914f6cdd1dUL * (cpu + 1);
    s_time_t base = NOW(), end, late;
    unsigned int target = next_online(cpu);

    for ( i = 0; i < NR_TEST_TIMERS; i++ )
        slot[i] = i;
    for ( i = NR_TEST_TIMERS - 1; i > 0; i-- )
    {
        unsigned int j = selftest_random(&seed, i + 1), t = slot[i];

        slot[i] = slot[j];
        slot[j] = t;
    }

    /* Timer i expires after slot[i] + 1 milliseconds and some jitter. */
    for ( i = 0; i < NR_TEST_TIMERS; i++ )
    {
        init_timer(&ct->timers[i], record, &ct->fired[i], cpu);
        set_timer(&ct->timers[i], base + MILLISECS(2 * slot[i] + 1) +
                                  selftest_random(&seed, 500000));
    }
    init_timer(&ct->stopped, record, &ct->stopped_f, cpu);
    set_timer(&ct->stopped, base + MILLISECS(5));
    init_timer(&ct->rearmed, record, &ct->rearmed_f, cpu);
    set_timer(&ct->rearmed, base + MILLISECS(3));
    init_timer(&ct->migrated, record, &ct->migrated_f, cpu);
    set_timer(&ct->migrated, base + MILLISECS(4));

    stop_timer(&ct->stopped);
    set_timer(&ct->rearmed, base + MILLISECS(18));
    migrate_timer(&ct->migrated, target);

    end = base + SECONDS(5);
    while ( !all_fired(ct) && NOW() < end )
    {
        do_softirq();
        cpu_relax();
    }
    /* Anything that fires twice or late-stopped shows up in this window. */
    end = NOW() + MILLISECS(5);
    while ( NOW() < end )
        do_softirq();

    kill_timer(&ct->migrated);
    for ( i = 0; i < NR_TEST_TIMERS; i++ )
        kill_timer(&ct->timers[i]);
    kill_timer(&ct->rearmed);
    kill_timer(&ct->stopped);

    for ( i = 0; i < NR_TEST_TIMERS; i++ )
    {
        const struct fired *f = &ct->fired[i];

        if ( f->count != 1 )
        {
            snprintf(ct->why, sizeof(ct->why), "timer %u ran %u times", i,
                     f->count);
            return;
        }
        if ( f->at < ct->timers[i].expires || f->cpu != cpu )
        {
            snprintf(ct->why, sizeof(ct->why), "timer %u ran early or on "
                     "CPU%u", i, f->cpu);
            return;
        }
        late = f->at - ct->timers[i].expires;
        if ( late > ct->worst_late )
            ct->worst_late = late;
    }
    /* Deadlines are distinct (2 ms apart, jitter under 0.5 ms). */
    for ( i = 0; i < NR_TEST_TIMERS; i++ )
    {
        unsigned int j;

        for ( j = 0; j < NR_TEST_TIMERS; j++ )
            if ( ct->timers[j].expires < ct->timers[i].expires &&
                 ct->fired[j].order > ct->fired[i].order )
            {
                snprintf(ct->why, sizeof(ct->why), "timers %u and %u ran out "
                         "of deadline order", j, i);
                return;
            }
    }
    if ( ct->stopped_f.count )
        snprintf(ct->why, sizeof(ct->why), "a stopped timer ran");
    else if ( ct->rearmed_f.count != 1 ||
              ct->rearmed_f.at < ct->rearmed.expires )
        snprintf(ct->why, sizeof(ct->why), "the re-armed timer ran %u "
                 "times, or before its new deadline", ct->rearmed_f.count);
    else if ( ct->migrated_f.count != 1 || ct->migrated_f.cpu != target )
        snprintf(ct->why, sizeof(ct->why), "the migrated timer ran %u times, "
                 "on CPU%u not CPU%u", ct->migrated_f.count,
                 ct->migrated_f.cpu, target);
}

static const char *selftest_timers(void)
{
    unsigned int cpu;
    s_time_t t0, worst = 0;

    t0 = NOW();
    udelay(1000);
    if ( NOW() - t0 < MILLISECS(1) )
        return selftest_fail("udelay(1000) took %ld ns of NOW()",
                             (long)(NOW() - t0));

    memset(cpu_timers, 0, sizeof(cpu_timers));
    on_cpus_idle(&cpu_online_map, timers_worker, NULL);

    for_each_online_cpu ( cpu )
    {
        if ( cpu_timers[cpu].why[0] )
            return selftest_fail("CPU%u: %s", cpu, cpu_timers[cpu].why);
        if ( cpu_timers[cpu].worst_late > worst )
            worst = cpu_timers[cpu].worst_late;
    }
    printk("timers: %u CPUs x %u timers in order, none early; latest ran "
           "%ld us after its deadline\n", num_online_cpus(), NR_TEST_TIMERS,
           (long)(worst / 1000));

    return NULL;
}
REGISTER_SELFTEST("timers", selftest_timers);
