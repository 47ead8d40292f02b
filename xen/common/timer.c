/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU software timers on the local APIC timer (see xen/timer.h).
 */
#include <asm/smp.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/percpu.h>
#include <xen/softirq.h>
#include <xen/spinlock.h>
#include <xen/timer.h>

struct timer_queue {
    spinlock_t lock;
    struct timer *head;          /* earliest first */
    struct timer *running;       /* whose function runs right now */
};

static DEFINE_PER_CPU(struct timer_queue, timer_queue) = {
    .lock = SPIN_LOCK_UNLOCKED,
};

/* Locks the queue t is on; t->cpu cannot change while it is held. */
static struct timer_queue *lock_timer(struct timer *t, unsigned long *flags)
{
    for ( ;; )
    {
        unsigned int cpu = read_atomic(&t->cpu);
        struct timer_queue *q = &per_cpu(timer_queue, cpu);

        spin_lock_irqsave(&q->lock, *flags);
        if ( read_atomic(&t->cpu) == cpu )
            return q;
        spin_unlock_irqrestore(&q->lock, *flags);
    }
}

static void dequeue(struct timer_queue *q, struct timer *t)
{
    struct timer **pp;

    for ( pp = &q->head; *pp; pp = &(*pp)->next )
        if ( *pp == t )
        {
            *pp = t->next;
            break;
        }
    t->next = NULL;
    t->active = false;
}

/* Returns true if t is now the earliest. */
static bool enqueue(struct timer_queue *q, struct timer *t)
{
    struct timer **pp = &q->head;

    while ( *pp && (*pp)->expires <= t->expires )
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    t->active = true;

    return q->head == t;
}

/* The queue's CPU must look at its new earliest deadline. */
static void kick(unsigned int cpu, const struct timer_queue *q)
{
    if ( cpu == smp_processor_id() )
        reprogram_timer(q->head ? q->head->expires : 0);
    else
        cpu_raise_softirq(cpu, TIMER_SOFTIRQ);
}

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu)
{
    *t = (struct timer){ .function = fn, .data = data, .cpu = cpu };
}

void set_timer(struct timer *t, s_time_t expires)
{
    unsigned long flags;
    struct timer_queue *q = lock_timer(t, &flags);

    if ( t->active )
        dequeue(q, t);
    t->expires = expires;
    if ( enqueue(q, t) )
        kick(t->cpu, q);
    spin_unlock_irqrestore(&q->lock, flags);
}

void stop_timer(struct timer *t)
{
    unsigned long flags;
    struct timer_queue *q = lock_timer(t, &flags);

    if ( t->active )
        dequeue(q, t);
    spin_unlock_irqrestore(&q->lock, flags);
}

void migrate_timer(struct timer *t, unsigned int new_cpu)
{
    struct timer_queue *from, *to;
    unsigned int old;
    unsigned long flags;

    for ( ;; )
    {
        old = read_atomic(&t->cpu);
        if ( old == new_cpu )
            return;
        from = &per_cpu(timer_queue, old);
        to = &per_cpu(timer_queue, new_cpu);
        /* Two queue locks: always the lower CPU's first. */
        flags = local_irq_save();
        spin_lock(old < new_cpu ? &from->lock : &to->lock);
        spin_lock(old < new_cpu ? &to->lock : &from->lock);
        if ( read_atomic(&t->cpu) == old )
            break;
        spin_unlock(&from->lock);
        spin_unlock(&to->lock);
        local_irq_restore(flags);
    }

    if ( t->active )
    {
        dequeue(from, t);
        write_atomic(&t->cpu, new_cpu);
        if ( enqueue(to, t) )
            kick(new_cpu, to);
    }
    else
        write_atomic(&t->cpu, new_cpu);

    spin_unlock(&from->lock);
    spin_unlock(&to->lock);
    local_irq_restore(flags);
}

void kill_timer(struct timer *t)
{
    unsigned long flags;
    struct timer_queue *q;

    stop_timer(t);
    /* Its function may be running on its CPU: wait for it to return. */
    for ( ;; )
    {
        q = lock_timer(t, &flags);
        if ( q->running != t )
            break;
        spin_unlock_irqrestore(&q->lock, flags);
        cpu_relax();
    }
    spin_unlock_irqrestore(&q->lock, flags);
}

bool timer_is_active(const struct timer *t)
{
    return read_atomic(&t->active);
}

static void timer_softirq(void)
{
    struct timer_queue *q = &this_cpu(timer_queue);
    unsigned long flags;
    struct timer *t;

    spin_lock_irqsave(&q->lock, flags);
    while ( (t = q->head) != NULL && t->expires <= NOW() )
    {
        dequeue(q, t);
        q->running = t;
        spin_unlock_irqrestore(&q->lock, flags);
        t->function(t->data);
        spin_lock_irqsave(&q->lock, flags);
        q->running = NULL;
    }
    /* An early hardware expiry lands here with the timer still queued. */
    reprogram_timer(q->head ? q->head->expires : 0);
    spin_unlock_irqrestore(&q->lock, flags);
}

void __init timer_init(void)
{
    open_softirq(TIMER_SOFTIRQ, timer_softirq);
}
