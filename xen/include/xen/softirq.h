/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_SOFTIRQ_H
#define XEN_SOFTIRQ_H

/*
 * Softirqs (xen/common/softirq.c): work an interrupt handler defers to
 * a safe point, run with interrupts enabled on the CPU it was raised on.
 * The safe points are do_softirq() calls: the idle loop, and later the
 * return to guests. A softirq raised while one runs is run in the same
 * do_softirq() pass or the next; none is lost. Lower numbers run first.
 */

#include <xen/cpumask.h>

enum {
    TIMER_SOFTIRQ,          /* expired timers (xen/common/timer.c) */
    CALL_IDLE_SOFTIRQ,      /* on_cpus_idle() work (arch/x86/smp.c) */
    KEYPRESS_SOFTIRQ,       /* debug keys, CPU0 (drivers/char/console.c) */
    /* Last: it may switch to another vCPU and never return. */
    SCHEDULE_SOFTIRQ,       /* xen/common/sched/core.c */
    NR_SOFTIRQS
};

typedef void (*softirq_handler)(void);

/* Boot time: the handler of softirq nr. */
void open_softirq(unsigned int nr, softirq_handler h);

/* Marks nr pending on this CPU (any context, NMI excepted). */
void raise_softirq(unsigned int nr);
/* Marks nr pending on cpu and wakes it with an IPI if it is another. */
void cpu_raise_softirq(unsigned int cpu, unsigned int nr);
void cpumask_raise_softirq(const cpumask_t *mask, unsigned int nr);

/* Runs this CPU's pending softirqs; interrupts must be enabled. */
/* An interrupt that makes cpu pass its exit path (pending guest events). */
void smp_send_event_check_cpu(unsigned int cpu);

void do_softirq(void);

bool softirq_pending(unsigned int cpu);

/* Boot CPU: the wake-up vector. */
void softirq_init(void);

#endif /* XEN_SOFTIRQ_H */
