/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_SCHED_H
#define XEN_SCHED_H

/*
 * Domains and vCPUs, and the scheduler's interface.
 *
 * A domain is a guest (or the idle domain, whose vCPUs are the CPUs'
 * idle loops). Each struct domain is a xenheap page of its own, since
 * page ownership records it by frame (asm/page-owner.h); its vCPUs are
 * xmalloc'd. Domains are found by id on a list under domlist_lock and
 * kept alive by a reference count: domain_create() returns one
 * reference (the "system" one, dropped when the domain is destroyed),
 * get_domain()/put_domain() add and drop others, and the last put frees
 * it.
 *
 * Life cycle: created paused (every vCPU down or paused), built,
 * unpaused; shutdown records a reason and deschedules every vCPU;
 * domain_kill() releases its memory (every page back to the heap) and
 * drops the system reference.
 *
 * A vCPU is in exactly one scheduling state:
 *   running   loaded on v->processor (v->is_running)
 *   runnable  on v->processor's run queue
 *   blocked / down / paused  neither: some bit in pause_flags, or
 *             pause_count > 0, keeps it off the queues
 * vcpu_wake() and vcpu_sleep() move it between them under the run queue
 * lock of its CPU (xen/common/sched/core.c).
 */

#include <xen/cpumask.h>
#include <xen/list.h>
#include <xen/percpu.h>
#include <xen/spinlock.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <xen/types.h>
#include <asm/atomic.h>
#include <asm/current.h>
#include <asm/domain.h>
#include <asm/page-list.h>
#include <public/vcpu.h>
#include <public/xen.h>

struct vcpu_info;
struct shared_info;
struct grant_table;

/* pause_flags bits: any one set keeps a vCPU off the run queues. */
#define _VPF_blocked 0  /* waiting for an event (sched_op block) */
#define _VPF_down    1  /* not brought up, or taken down (vcpu_op) */
#define VPF_blocked  (1UL << _VPF_blocked)
#define VPF_down     (1UL << _VPF_down)

/* A domU's console output is printed a line at a time, this long at most. */
#define DOMAIN_CONSOLE_LINE 160

/*
 * One event channel (xen/common/event_channel.c, xen/include/xen/event.h
 * has the rules). Written under its domain's event_lock; state and
 * notify_vcpu are also read without it, by delivery.
 */
enum evtchn_state {
    ECS_FREE,                    /* never bound, or closed */
    ECS_UNBOUND,                 /* waits for remote_domid to bind it */
    ECS_INTERDOMAIN,             /* connected to remote_dom's remote_port */
    ECS_VIRQ,                    /* a VIRQ_* of the domain */
    ECS_IPI,                     /* sent by the domain to itself */
    ECS_PIRQ,                    /* a physical interrupt line (PIRQ) */
};
struct evtchn {
    uint8_t state;               /* enum evtchn_state */
    uint8_t virq;                /* ECS_VIRQ: which */
    uint16_t pirq;               /* ECS_PIRQ: which */
    domid_t remote_domid;        /* ECS_UNBOUND: who may bind it */
    uint8_t xen_consumer;        /* ECS_UNBOUND: 0, or the hypervisor's end */
    uint32_t notify_vcpu;        /* the vCPU it is delivered to */
    uint32_t remote_port;        /* ECS_INTERDOMAIN: the peer's port */
    struct domain *remote_dom;   /* ECS_INTERDOMAIN: the peer (may be d) */
};

struct vcpu {
    unsigned int vcpu_id;
    unsigned int processor;      /* CPU it runs on, or will next */
    struct domain *domain;

    /* Event delivery: in shared_info until the guest registers its own. */
    struct vcpu_info *vcpu_info;

    unsigned long pause_flags;   /* VPF_*, atomic bit operations */
    atomic_t pause_count;        /* vcpu_pause() nesting */
    bool is_running;             /* loaded on a CPU (its state is live) */
    bool on_runq;                /* under the run queue lock */
    struct list_head runq_elem;  /* on its CPU's run queue */
    cpumask_t cpu_affinity;      /* CPUs it may run on */
    s_time_t slice_end;          /* when its time slice is over */

    int runstate;                /* RUNSTATE_* (public/vcpu.h) */
    s_time_t runstate_entry;     /* NOW() when it entered runstate */
    uint64_t runstate_time[4];   /* ns spent in each state, up to entry */

    /*
     * The port bound to each VIRQ, 0 if none; global VIRQs are vCPU 0's
     * whichever vCPU they notify. Written under event_lock.
     */
    uint32_t virq_to_evtchn[NR_VIRQS];

    struct timer singleshot_timer; /* vcpu_op set_singleshot_timer */
    struct timer poll_timer;       /* sched_op poll's timeout */
    bool polling;                  /* blocked in sched_op poll: any
                                      event for it wakes it */

    struct arch_vcpu arch;
};

struct domain {
    domid_t domain_id;
    /* What its pages' owner field holds (asm/page-owner.h), kept for the
     * hot ownership checks: comparing it costs no frame-to-address step. */
    uint32_t page_owner_id;
    unsigned int max_vcpus;
    struct vcpu **vcpu;          /* max_vcpus entries, NULL until made */

    atomic_t refcnt;
    struct domain *next_in_list; /* under domlist_lock */

    bool is_privileged;          /* dom0 */
    bool is_dying;               /* domain_kill() started */
    bool is_shutting_down;       /* a shutdown was asked for */
    uint8_t shutdown_code;       /* SHUTDOWN_* reason, once shutting down */
    atomic_t pause_count;        /* domain_pause() nesting */

    /*
     * Memory: the pages the domain owns, on page_list, under
     * page_alloc_lock; tot_pages counts them (xenheap pages shared with
     * the domain, such as shared_info, are on xenpage_list instead and
     * not counted); max_pages is its allowance.
     */
    spinlock_t page_alloc_lock;
    struct page_list_head page_list;
    struct page_list_head xenpage_list;
    unsigned long tot_pages;
    unsigned long max_pages;

    struct shared_info *shared_info; /* a xenheap page shared with it */

    /*
     * Event channels: max_evtchns ports (port 0 never used). event_lock
     * covers allocation, binding and closing; of two domains, the one at
     * the lower address is locked first.
     */
    struct evtchn *evtchn;
    unsigned int max_evtchns;
    spinlock_t event_lock;

    struct grant_table *grant_table; /* xen/grant_table.h */

    spinlock_t shutdown_lock;
    unsigned long continuations; /* hypercalls preempted and resumed */
    struct domain *next_to_reap; /* a shut-down domU waiting to be destroyed */

    /* A domU's console_io output, held until its line is complete. */
    char console_line[DOMAIN_CONSOLE_LINE];
    unsigned int console_len;
    /* Its share of the line (console_budget_take()), and what it lost. */
    s_time_t console_tat, console_reported;
    unsigned long console_dropped;
    /* A domU's console ring (xen/pv-console-ring.h); port 0: none. */
    mfn_t console_ring_mfn;
    uint32_t console_ring_port;
    struct timer console_ring_timer;    /* drains it once budget is back */

    struct arch_domain arch;
};

/* What each CPU runs (its idle vCPU when no guest's). */
DECLARE_PER_CPU(struct vcpu *, curr_vcpu);
#define curr_on(cpu) per_cpu(curr_vcpu, cpu)

/* The idle domain; idle_vcpu[cpu] is the CPU's idle loop. */
extern struct domain *idle_domain;
extern struct vcpu *idle_vcpu[CONFIG_NR_CPUS];
/* dom0, once built. */
extern struct domain *hardware_domain;

static inline bool is_idle_domain(const struct domain *d)
{
    return d->domain_id == DOMID_IDLE;
}

static inline bool is_idle_vcpu(const struct vcpu *v)
{
    return is_idle_domain(v->domain);
}

/* --- domains (xen/common/domain.c) --- */

/*
 * A new domain with room for max_vcpus vCPUs (none created yet), paused
 * (pause_count 1), with one reference for the caller. NULL on failure
 * (no memory, bad id, id in use).
 */
struct domain *domain_create(domid_t id, unsigned int max_vcpus,
                             bool privileged);

/* vCPU id of d, to run on cpu; starts down. NULL on failure. */
struct vcpu *vcpu_create(struct domain *d, unsigned int id, unsigned int cpu);

void idle_domain_init(void);
/* The calling CPU's idle vCPU: made on the BSP and on each AP. */
void idle_vcpu_init(unsigned int cpu);

struct domain *get_domain_by_id(domid_t id); /* with a reference */
/*
 * Calls fn(d, arg) for every domain but the idle one, in list order,
 * under the domain list lock: fn must not create or destroy domains.
 * For the debug keys.
 */
void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg);
bool get_domain(struct domain *d);           /* false if it is dying */
void put_domain(struct domain *d);

void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);

/*
 * Asks d to shut down for reason (SHUTDOWN_*): every vCPU is paused, and
 * for dom0 the machine follows (xen/common/shutdown.c). Any other domain
 * is reported to dom0 (VIRQ_DOM_EXC) and destroyed soon after, off its
 * own vCPUs, while the rest runs on.
 */
void domain_shutdown(struct domain *d, unsigned int reason);
/*
 * Shutdown with SHUTDOWN_crash, after printing the current vCPU's state
 * if it is d's; the current vCPU is switched away on its way out.
 */
void domain_crash(struct domain *d);

/*
 * Gives d the 2^order heap pages at pg (just allocated, no other user):
 * owner, the allocation reference, d's page list. -EINVAL if d is dying.
 */
int assign_pages(struct domain *d, struct page_info *pg, unsigned int order);
/* The same within d's allowance (max_pages): -E2BIG past it. */
int assign_pages_limited(struct domain *d, struct page_info *pg,
                         unsigned int order);
/*
 * The end of a guest page: its last reference went after its owner
 * gave up the allocation reference (put_page()), or it was never
 * given back to one (an exchange's input). Off the owner's list and out
 * of tot_pages (a page stays counted while anything still maps it, as
 * in Xen), its M2P entry invalid, and back to the heap, which flushes
 * stale guest translations of it before handing it out again. Xenheap
 * pages shared with a guest are left to their owner.
 */
void free_domain_page(struct page_info *pg);

/* Tears d down: its pages back to the heap, then the system reference. */
void domain_kill(struct domain *d);
/* The architecture's part of domain_kill(): page tables, shared pages. */
void arch_domain_teardown(struct domain *d);

/* --- the scheduler (xen/common/sched/) --- */

void sched_init(void);
void sched_cpu_init(unsigned int cpu);  /* before the CPU is started */
void sched_cpu_ready(void);             /* the CPU enters its idle loop */
/* A new vCPU's scheduler state; the vCPU starts off the run queues. */
void sched_init_vcpu(struct vcpu *v, unsigned int cpu);
void sched_destroy_vcpu(struct vcpu *v);

/* Put v on a run queue if nothing keeps it off (IRQ-safe). */
void vcpu_wake(struct vcpu *v);
/* Take v off the run queues; its CPU reschedules if it is running. */
void vcpu_sleep_nosync(struct vcpu *v);
/* As vcpu_sleep_nosync(), then wait until v's state is saved. */
void vcpu_sleep_sync(struct vcpu *v);

void vcpu_pause(struct vcpu *v);
void vcpu_unpause(struct vcpu *v);

/* An event upcall is pending and not masked (xen/common/event.c). */
bool vcpu_event_pending(const struct vcpu *v);
/* Clears VPF_blocked and wakes v if it was blocked. */
void vcpu_unblock(struct vcpu *v);
/* v's timer went off: VIRQ_TIMER, and a wake-up. */
void send_timer_event(struct vcpu *v);

/* sched_op block: current blocks unless an event is pending. */
void vcpu_block(void);
/* sched_op yield. */
void vcpu_yield(void);

/* The scheduler's end of a context switch (state saved, v may move). */
void sched_context_saved(struct vcpu *prev);

/* Debug key: print every CPU's current vCPU and run queue. */
void sched_dump_runqueues(void);

/* Options: dom0_max_vcpus=, dom0_vcpus_pin. */
extern unsigned int opt_dom0_max_vcpus_min, opt_dom0_max_vcpus_max;
extern bool opt_dom0_vcpus_pin;

/* --- the architecture's part --- */

/* Boot: what every domain shares (the zero page). */
void arch_domain_init(void);
int arch_domain_create(struct domain *d);
void arch_domain_destroy(struct domain *d);
int arch_vcpu_create(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);

/*
 * Switches this CPU from prev (current) to next and continues next
 * where it left off: never returns (the stack is reset). Called with
 * interrupts off.
 */
void __noreturn context_switch(struct vcpu *prev, struct vcpu *next);

/* Prints v's registers and guest stack (crash reports, debug key). */
void vcpu_show_state(struct vcpu *v);

/* XENFEAT_* bits (submap 0) d is offered (xen/common/version.c). */
uint32_t xen_features_for(const struct domain *d);

#endif /* XEN_SCHED_H */
