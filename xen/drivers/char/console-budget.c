/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domU's share of the serial line (xen/console.h).
 *
 * Each domU may print console_domu_rate bytes a second, in bursts of up
 * to console_domu_burst, whether through console_io or its console ring;
 * dom0 and the hypervisor are never held back. The budget is kept as a
 * time, GCRA-style: console_tat is when the domain's bucket would next
 * be full again. Each byte pushes it on by byte_ns; a request gets as
 * many bytes as fit before tat would pass now + burst * byte_ns. Nothing
 * accumulates rounding, however small the requests.
 */
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/time.h>

/* About a third of a 115200-baud line, and a Linux boot's log at once. */
static unsigned long rate = 4096, burst = 65536;

/*
 * console_domu_rate=RATE[,BURST] in bytes; RATE 0: no limit. A burst
 * holds a console_io chunk (128) and a ring drain (128) at least.
 */
static int __init parse_console_domu_rate(const char *s)
{
    const char *e;
    unsigned long r = simple_strtoull(s, &e, 10), b = burst;

    if ( e == s || r > 100000000UL )
        return -EINVAL;
    if ( *e == ',' )
    {
        s = e + 1;
        b = simple_strtoull(s, &e, 10);
        if ( e == s || b < 256 || b > (1UL << 24) )
            return -EINVAL;
    }
    if ( *e )
        return -EINVAL;
    rate = r;
    burst = b;

    return 0;
}
custom_param("console_domu_rate", parse_console_domu_rate);

static DEFINE_SPINLOCK(budget_lock);

static s_time_t byte_ns(void)
{
    return SECONDS(1) / rate;
}

void console_budget_dropped(struct domain *d, size_t n)
{
    unsigned long flags;

    spin_lock_irqsave(&budget_lock, flags);
    d->console_dropped += n;
    spin_unlock_irqrestore(&budget_lock, flags);
}

s_time_t console_budget_ready_at(const struct domain *d, size_t want)
{
    s_time_t per = byte_ns();

    if ( !rate )
        return NOW();
    if ( want > burst )
        want = burst;
    /* want bytes fit once tat <= now + (burst - want) * per. */
    return read_atomic(&d->console_tat) - (s_time_t)(burst - want) * per;
}

void console_budget_report(struct domain *d)
{
    unsigned long flags, lost;

    spin_lock_irqsave(&budget_lock, flags);
    lost = d->console_dropped;
    d->console_dropped = 0;
    d->console_reported = NOW();
    spin_unlock_irqrestore(&budget_lock, flags);
    if ( lost )
        printk("d%u: %lu bytes of console output dropped over "
               "console_domu_rate\n", d->domain_id, lost);
}

static size_t take(struct domain *d, size_t want, bool whole)
{
    s_time_t now = NOW(), per = byte_ns(), room;
    unsigned long flags;
    bool report;
    size_t got;

    if ( !rate || !want )
        return want;
    spin_lock_irqsave(&budget_lock, flags);
    if ( d->console_tat < now )
        d->console_tat = now;
    room = now + (s_time_t)burst * per - d->console_tat;
    got = room > 0 ? room / per : 0;
    if ( got > want )
        got = want;
    if ( whole && got < want )
        got = 0;
    d->console_tat += (s_time_t)got * per;
    /* Back on the line: say what was lost, once a second at most. */
    report = got && d->console_dropped &&
             now - d->console_reported >= SECONDS(1);
    spin_unlock_irqrestore(&budget_lock, flags);
    if ( report )
        console_budget_report(d);

    return got;
}

size_t console_budget_take(struct domain *d, size_t want)
{
    return take(d, want, false);
}

bool console_budget_take_all(struct domain *d, size_t n)
{
    if ( take(d, n, true) == n )
        return true;
    console_budget_dropped(d, n);
    return false;
}
