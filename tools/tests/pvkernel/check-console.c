/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domU's share of the serial line (console_domu_rate). Asked for with
 * console_flood=BYTES: numbered lines, BYTES in all, through the console
 * ring, which the hypervisor drains no faster than the domain's rate
 * (the rest waits in the ring, the writer with it: nothing is lost),
 * then as many through console_io, where what is over the rate is
 * dropped and counted by the hypervisor. The test reading the serial
 * log (test_console_share.py) checks the lines and the times printed.
 */
#include "pvkernel.h"
#include <public/io/console.h>

/* "ring 00042 ...\n": 32 bytes a line, numbered. */
#define LINE_BYTES 32

static void line(char *buf, const char *kind, unsigned int i)
{
    snprintf(buf, LINE_BYTES + 1, "%s %05u ..........................",
             kind, i);
    buf[LINE_BYTES - 1] = '\n';
}

static void notify(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };

    EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_send, &s));
}

/* Bytes into the ring as room comes, as Linux's hvc_xen writes them. */
static void ring_write(volatile struct xencons_interface *r,
                       evtchn_port_t port, const char *s, size_t n)
{
    while ( n )
    {
        XENCONS_RING_IDX cons = r->out_cons, prod = r->out_prod;
        size_t room = sizeof(r->out) - (prod - cons), k;

        if ( !room )
        {
            EXPECT_OK(HYPERVISOR_sched_op(SCHEDOP_yield, NULL));
            continue;
        }
        for ( k = 0; k < n && k < room; k++ )
            r->out[MASK_XENCONS_IDX(prod + k, r->out)] = s[k];
        __atomic_thread_fence(__ATOMIC_RELEASE);
        r->out_prod = prod + k;
        notify(port);
        s += k;
        n -= k;
    }
}

static uint64_t ms_since(uint64_t start)
{
    return (system_time_ns(0) - start) / 1000000;
}

/*
 * A flood used up the budget: wait for it to come back, or what this
 * check says next would be dropped too. The test gives a rate that
 * refills a burst well within this.
 */
static void wait_for_budget(void)
{
    uint64_t start = system_time_ns(0);

    while ( ms_since(start) < 3000 )
        EXPECT_OK(HYPERVISOR_sched_op(SCHEDOP_yield, NULL));
}

PVTEST(console_share_of_the_line)
{
    unsigned long bytes = option_number("console_flood");
    unsigned int lines = bytes / LINE_BYTES;
    volatile struct xencons_interface *r;
    evtchn_port_t port = start_info->console.domU.evtchn;
    char buf[LINE_BYTES + 1];
    unsigned long ms;
    uint64_t start;

    if ( is_dom0() || !lines )
        check_skip("needs a domU and console_flood=BYTES");
    if ( !port )
        check_skip("no console ring");
    r = (void *)mfn_to_va(start_info->console.domU.mfn);

    start = system_time_ns(0);
    for ( unsigned int i = 0; i < lines; i++ )
    {
        line(buf, "ring", i);
        ring_write(r, port, buf, LINE_BYTES);
    }
    /* Done when the hypervisor has taken the last byte. */
    while ( r->out_cons != r->out_prod )
        EXPECT_OK(HYPERVISOR_sched_op(SCHEDOP_yield, NULL));
    ms = ms_since(start);
    wait_for_budget();
    printk("pvtest: console ring: %u bytes in %lu ms\n", lines * LINE_BYTES,
           ms);

    for ( unsigned int i = 0; i < lines; i++ )
    {
        line(buf, "cio ", i);
        console_write(buf, LINE_BYTES);
    }
    wait_for_budget();
    printk("pvtest: console_io: %u bytes written\n", lines * LINE_BYTES);
}
