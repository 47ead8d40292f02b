/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_TIME_H
#define XEN_TIME_H

/*
 * System time (xen/arch/x86/time.c): nanoseconds since the TSC was
 * calibrated, read from the TSC. All CPUs share one scale and origin,
 * which assumes their TSCs run in step (true of the invariant TSC of
 * every multi-socket-era server CPU and of QEMU).
 */

#include <xen/types.h>

typedef int64_t s_time_t;

#define SECONDS(s)   ((s_time_t)(s) * 1000000000LL)
#define MILLISECS(m) ((s_time_t)(m) * 1000000LL)
#define MICROSECS(u) ((s_time_t)(u) * 1000LL)
#define STIME_MAX    ((s_time_t)INT64_MAX)

/* TSC frequency in kHz, set by early_time_init(). */
extern unsigned long tsc_khz;

/* Boot CPU, once, before anything needs NOW() or udelay(). */
void early_time_init(void);

/* Nanoseconds of system time; any CPU, any context. */
s_time_t NOW(void);
/* What NOW() was when the TSC read tsc: a record of both, exactly. */
s_time_t tsc_stamp_to_now(uint64_t tsc);

/* TSC ticks <-> nanoseconds, for deadline arithmetic. */
uint64_t ns_to_tsc(s_time_t ns);
s_time_t tsc_to_ns(uint64_t ticks);

/* Busy-waits at least this long; any context. */
void udelay(unsigned long us);
void mdelay(unsigned long ms);

static inline uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;

    /* lfence: the read is not hoisted above earlier instructions. */
    __asm__ __volatile__ ( "lfence; rdtsc" : "=a" (lo), "=d" (hi) :: "memory" );
    return lo | ((uint64_t)hi << 32);
}

#endif /* XEN_TIME_H */
