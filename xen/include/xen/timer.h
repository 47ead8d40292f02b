/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_TIMER_H
#define XEN_TIMER_H

/*
 * Software timers (xen/common/timer.c).
 *
 * A timer belongs to one CPU at a time (t->cpu) and its function runs
 * there, from TIMER_SOFTIRQ (interrupts on, no timer lock held), never
 * before NOW() >= expires: the local APIC may fire early (a long wait
 * is split into its counter's range), so expiry is always checked
 * against NOW() and the hardware re-armed for what is left.
 *
 *   init_timer(t, fn, data, cpu)  before any other use; inactive
 *   set_timer(t, expires)          (re-)arms; any CPU may arm any timer
 *   stop_timer(t)                  disarms; it will not run unless it is
 *                                  running already
 *   migrate_timer(t, cpu)          moves it (armed or not) to cpu
 *   kill_timer(t)                  disarms and waits until a running
 *                                  function has returned; t may then be
 *                                  freed
 * A timer's function may set_timer() its own timer again. Context: any
 * but NMI; each CPU's queue has its own interrupt-safe lock, and a
 * migration takes two in CPU order.
 *
 * Queues are sorted lists: insertion is O(queued timers), which is fine
 * for the handfuls of timers a CPU holds; a heap would win only with
 * hundreds per CPU.
 */

#include <xen/time.h>

struct timer {
    s_time_t expires;
    void (*function)(void *data);
    void *data;
    struct timer *next;         /* in its CPU's queue, while active */
    unsigned int cpu;
    bool active;
};

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu);
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
void migrate_timer(struct timer *t, unsigned int new_cpu);
void kill_timer(struct timer *t);
bool timer_is_active(const struct timer *t);

/* Boot CPU: TIMER_SOFTIRQ and the local APIC timer's vector. */
void timer_init(void);

/*
 * The hardware half (xen/arch/x86/time.c): arm this CPU's local APIC
 * timer for deadline (system time; 0 = stop). A deadline in the past
 * fires at once.
 */
void reprogram_timer(s_time_t deadline);
/* Each CPU, once its local APIC is set up: the timer's LVT entry. */
void apic_timer_init_cpu(void);

#endif /* XEN_TIMER_H */
