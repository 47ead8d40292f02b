/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_SMP_H
#define XEN_SMP_H

/*
 * Running code on other CPUs (xen/arch/x86/smp.c).
 *
 * on_selected_cpus() runs fn(info) in interrupt context (interrupts off)
 * on every online CPU of mask, this one included if it is in mask, and
 * with wait returns only when all have finished. Interrupts must be on
 * (two CPUs calling each other with interrupts off would wait forever);
 * calls are serialised by one lock. fn must be short and must not wait
 * for other CPUs.
 *
 * on_cpus_idle() runs fn(info) from the idle loop (interrupts on, no
 * locks held) on every online CPU of mask, this one included if it is
 * in mask (run in place), all at once, and returns when all are done;
 * while it waits, the caller runs its own softirqs (so not from a
 * softirq handler).
 * That is where work that allocates, maps, flushes or takes locks runs:
 * the concurrent self-tests use it.
 */

#include <asm/smp.h>
#include <asm/atomic.h>
#include <xen/cpumask.h>

typedef void (*smp_call_fn)(void *info);

void on_selected_cpus(const cpumask_t *mask, smp_call_fn fn, void *info,
                      bool wait);
/* All online CPUs but this one. */
void smp_call_function(smp_call_fn fn, void *info, bool wait);

void on_cpus_idle(const cpumask_t *mask, smp_call_fn fn, void *info);

/* Boot CPU: the IPI vectors. */
void smp_intr_init(void);
/* An AP, just before it marks itself online: its per-CPU state. */
void smp_cpu_ready(unsigned int cpu);
/* What every CPU runs once it has nothing else to do. */
void __noreturn idle_loop(void);

/*
 * Panic: stops every other online CPU with an NMI; each prints its own
 * call trace (serialised) and halts. Returns when all have reported or
 * after a second.
 */
void smp_send_stop(void);

#endif /* XEN_SMP_H */
