/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_op(cmd, arg): give up the CPU (yield, block, poll) or end the
 * domain (shutdown). SCHEDOP_block returns when an event is pending for
 * the vCPU; it also unmasks events, so the upcall runs first.
 */
#ifndef XEN_PUBLIC_SCHED_H
#define XEN_PUBLIC_SCHED_H

#include "event_channel.h"

#define SCHEDOP_yield           0   /* arg unused */
#define SCHEDOP_block           1   /* arg unused */
#define SCHEDOP_shutdown        2   /* struct sched_shutdown */
#define SCHEDOP_poll            3   /* struct sched_poll */
#define SCHEDOP_remote_shutdown 4   /* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code   5   /* struct sched_shutdown: reason for later */
#define SCHEDOP_watchdog        6   /* struct sched_watchdog */
#define SCHEDOP_pin_override    7   /* struct sched_pin_override */

#ifndef __ASSEMBLER__

struct sched_shutdown {
    unsigned int reason;    /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);

/*
 * Block until one of the ports is pending or until system time
 * timeout (ns, absolute; 0 for none).
 */
struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;
    unsigned int nr_ports;
    uint64_t timeout;
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);

struct sched_remote_shutdown {
    domid_t domain_id;
    unsigned int reason;
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);

struct sched_watchdog {
    uint32_t id;        /* 0 to allocate a new watchdog */
    uint32_t timeout;   /* seconds; 0 destroys it */
};
typedef struct sched_watchdog sched_watchdog_t;
DEFINE_XEN_GUEST_HANDLE(sched_watchdog_t);

struct sched_pin_override {
    int32_t pcpu;
};
typedef struct sched_pin_override sched_pin_override_t;
DEFINE_XEN_GUEST_HANDLE(sched_pin_override_t);

#endif /* !__ASSEMBLER__ */

#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

#endif /* XEN_PUBLIC_SCHED_H */
