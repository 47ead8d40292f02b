/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PV time: each vCPU's vcpu_time_info (system time as a linear function
 * of the TSC) and the wallclock in shared_info, from the CMOS RTC.
 */
#include <xen/lib.h>
#include <xen/percpu.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <asm/processor.h>
#include <asm/dom0_build.h>
#include <asm/io.h>
#include <public/xen.h>

/*
 * mul and shift such that ns = ((tsc << shift) * mul) >> 32 (a negative
 * shift is a right shift), mul in [2^31, 2^32) for precision.
 */
static void tsc_scale(uint32_t *mul, int8_t *shift)
{
    uint64_t v = (1000000ULL << 32) / tsc_khz;
    int s = 0;

    while ( v >= (1ULL << 32) )
    {
        v >>= 1;
        s++;
    }
    while ( v < (1ULL << 31) )
    {
        v <<= 1;
        s--;
    }
    *mul = v;
    *shift = s;
}

/*
 * The TSC runs at a constant rate in every state (CPUID 0x80000007
 * EDX[8]): the guest may then treat its clock as stable across vCPUs.
 */
static bool tsc_invariant(void)
{
    static int known = -1;
    uint32_t a, b, c, d;

    if ( known < 0 )
    {
        cpuid(0x80000000, &a, &b, &c, &d);
        known = 0;
        if ( a >= 0x80000007 )
        {
            cpuid(0x80000007, &a, &b, &c, &d);
            known = !!(d & (1u << 8));
        }
    }
    return known;
}

void pv_update_vcpu_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;
    uint64_t tsc = rdtsc_ordered();

    /* Odd while it changes: guests retry a read that saw one. */
    t->version++;
    smp_wmb();
    t->tsc_timestamp = tsc;
    /* Both from one TSC read: two reads would skew every record. */
    t->system_time = tsc_stamp_to_now(tsc);
    tsc_scale(&t->tsc_to_system_mul, &t->tsc_shift);
    t->flags = tsc_invariant() ? XEN_PVCLOCK_TSC_STABLE_BIT : 0;
    smp_wmb();
    t->version++;
}

/*
 * A vCPU that runs for long without being switched still gets its time
 * record refreshed once a second, by the CPU it runs on (the only
 * writer of a running vCPU's record, so the version protocol holds).
 */
struct time_refresh {
    struct timer timer;
    bool started;
};
static DEFINE_PER_CPU(struct time_refresh, time_refresh);

static void refresh_running_vcpu_time(void *data)
{
    struct time_refresh *r = data;

    if ( !is_idle_vcpu(current) )
        pv_update_vcpu_time(current);
    set_timer(&r->timer, NOW() + SECONDS(1));
}

void pv_time_refresh_start(void)
{
    struct time_refresh *r = &this_cpu(time_refresh);

    if ( r->started )
        return;
    r->started = true;
    init_timer(&r->timer, refresh_running_vcpu_time, r, smp_processor_id());
    set_timer(&r->timer, NOW() + SECONDS(1));
}

#define CMOS_PORT(x) (0x70 + (x))

static unsigned int cmos_read(unsigned int reg)
{
    outb(reg, CMOS_PORT(0));
    return inb(CMOS_PORT(1));
}

static unsigned int bcd(unsigned int v, bool binary)
{
    return binary ? v : (v & 15) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (Gregorian). */
static unsigned long days_since_epoch(unsigned int y, unsigned int m,
                                      unsigned int d)
{
    /* Counting years from March makes February the last month. */
    if ( m <= 2 )
    {
        y--;
        m += 12;
    }
    return 365UL * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 +
           d - 1 - 719469UL;
}

static unsigned long rtc_seconds(void)
{
    unsigned int sec, min, hour, day, mon, year, b;
    bool binary;

    /* Wait for an update to end, so the fields belong together. */
    while ( cmos_read(0x0a) & 0x80 )
        cpu_relax();
    sec = cmos_read(0x00);
    min = cmos_read(0x02);
    hour = cmos_read(0x04);
    day = cmos_read(0x07);
    mon = cmos_read(0x08);
    year = cmos_read(0x09);
    b = cmos_read(0x0b);
    binary = b & 4;
    sec = bcd(sec, binary);
    min = bcd(min, binary);
    hour = bcd(hour & 0x7f, binary) + ((!(b & 2) && (hour & 0x80)) ? 12 : 0);
    day = bcd(day, binary);
    mon = bcd(mon, binary);
    year = bcd(year, binary) + 2000;

    return days_since_epoch(year, mon, day) * 86400UL + hour * 3600UL +
           min * 60UL + sec;
}

/* The wallclock at system time 0, in ns: from the RTC, or platform_op. */
static uint64_t wallclock_base;

static void write_wallclock(struct domain *d, uint64_t wc)
{
    struct shared_info *s = d->shared_info;

    if ( !s )
        return;
    s->wc_version++;
    smp_wmb();
    s->wc_sec = (uint32_t)(wc / 1000000000ULL);
    s->wc_sec_hi = (wc / 1000000000ULL) >> 32;
    s->wc_nsec = wc % 1000000000ULL;
    smp_wmb();
    s->wc_version++;
}

void pv_init_wallclock(struct domain *d)
{
    if ( !wallclock_base )
        wallclock_base = rtc_seconds() * 1000000000ULL - NOW();
    write_wallclock(d, wallclock_base);
}

static void set_one(struct domain *d, void *arg)
{
    write_wallclock(d, *(const uint64_t *)arg);
}

void pv_set_wallclock(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    wallclock_base = secs * 1000000000ULL + nsecs - system_time;
    domain_for_each(set_one, &wallclock_base);
}
