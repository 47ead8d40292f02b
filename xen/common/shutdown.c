/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domain shutdown and crash, and what follows: when dom0 goes, the
 * machine powers off or reboots as dom0 asked, as Xen does (a crashed
 * dom0 is reported with its vCPU state and the machine reboots, or halts
 * with `noreboot`); when any other domain goes, dom0 hears of it
 * (VIRQ_DOM_EXC) and the hypervisor destroys it, since there is no
 * toolstack to do so, while dom0 runs on. Unlike Xen, an orderly dom0
 * shutdown destroys dom0 too before the power-off or reboot, and the
 * heap's count then is printed beside the one from before dom0 was
 * built: a test of everything dom0's life allocated.
 *
 * The destruction waits for a moment when none of the domain's vCPUs is
 * the one running here: a timer on CPU0 (the reaper) takes the domains
 * queued by domain_shutdown() and kills them from whatever runs there
 * then, retrying a millisecond later if that is the dying domain itself.
 */
#include <xen/console.h>
#include <xen/domu.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/softirq.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <xen/vmap.h>
#include <xen/xmalloc.h>
#include <asm/acpi.h>
#include <public/sched.h>

static const char *const reason_names[] = {
    [SHUTDOWN_poweroff] = "poweroff",
    [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend",
    [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog",
    [SHUTDOWN_soft_reset] = "soft_reset",
};

/*
 * The crashing vCPU first: it made the shutdown hypercall, so its
 * registers are live and its stack readable. The others are where they
 * last left the hypervisor (stale if still running elsewhere).
 */
static void show_crashed_vcpus(struct domain *d)
{
    struct vcpu *v = current;
    unsigned int i;

    if ( v->domain == d )
        vcpu_show_state(v);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] && d->vcpu[i] != v )
            vcpu_show_state(d->vcpu[i]);
}

static void __noreturn hardware_domain_crashed(struct domain *d)
{
    printk(XENLOG_ERR "Hardware dom0 crashed; its vCPUs:\n");
    show_crashed_vcpus(d);
    if ( opt_noreboot )
    {
        printk(XENLOG_ERR "Hardware dom0 crashed: halting (noreboot)\n");
        machine_halt();
    }
    printk(XENLOG_ERR "Hardware dom0 crashed: rebooting\n");
    machine_restart();
}

/* After dom0's orderly shutdown and its destruction. */
static void __noreturn hardware_domain_gone(unsigned int reason)
{
    if ( reason == SHUTDOWN_poweroff )
    {
        printk("Hardware dom0 shut down: powering off\n");
        machine_power_off();
    }
    else
    {
        printk("Hardware dom0 shut down (%s): rebooting\n",
               reason < ARRAY_SIZE(reason_names) ? reason_names[reason]
                                                 : "?");
        machine_restart();
    }
    machine_halt();
}

void heap_settled_counts(unsigned long *free, unsigned long *tables)
{
    xmalloc_trim();
    vmap_purge();
    *free = avail_domheap_pages();
    *tables = xen_pagetable_pages;
}

static unsigned long boot_free, boot_tables;

void heap_note_before_dom0(void)
{
    heap_settled_counts(&boot_free, &boot_tables);
}

/* dom0 learns that a domain went (Xen raises it at shutdown and death). */
static void tell_dom0(void)
{
    if ( hardware_domain )
        send_global_virq(hardware_domain, VIRQ_DOM_EXC);
}

/* Shut-down domUs, oldest last, until the reaper destroys them. */
static DEFINE_SPINLOCK(reap_lock);
static struct domain *reap_list;
static struct timer reap_timer;
static bool reap_timer_ready;

static void destroy_domain(struct domain *d)
{
    domid_t id = d->domain_id;
    unsigned long pages = d->tot_pages, free, tables;
    bool hw = d == hardware_domain;
    unsigned int reason = d->shutdown_code;

    console_domain_gone(d);
    domain_kill(d);
    heap_settled_counts(&free, &tables);
    printk("d%u destroyed: %lu pages back; heap after it: %lu free + %lu "
           "hypervisor page tables\n", id, pages, free, tables);
    if ( hw )
    {
        /* Equal sums: dom0's life, and any domU's, left nothing behind. */
        printk("Heap before dom0 was built: %lu free + %lu hypervisor page "
               "tables\n", boot_free, boot_tables);
        hardware_domain_gone(reason);
    }
    tell_dom0();
}

static void reap_domains(void *unused)
{
    for ( ;; )
    {
        unsigned long flags;
        struct domain *d;

        spin_lock_irqsave(&reap_lock, flags);
        d = reap_list;
        if ( d && current->domain == d )
        {
            /* Its vCPU is on its way out of this CPU: soon. */
            spin_unlock_irqrestore(&reap_lock, flags);
            set_timer(&reap_timer, NOW() + MILLISECS(1));
            return;
        }
        if ( d )
            reap_list = d->next_to_reap;
        spin_unlock_irqrestore(&reap_lock, flags);
        if ( !d )
            return;
        destroy_domain(d);
    }
}

static void reap_later(struct domain *d)
{
    unsigned long flags;

    spin_lock_irqsave(&reap_lock, flags);
    if ( !reap_timer_ready )
    {
        init_timer(&reap_timer, reap_domains, NULL, 0);
        reap_timer_ready = true;
    }
    d->next_to_reap = reap_list;
    reap_list = d;
    spin_unlock_irqrestore(&reap_lock, flags);
    set_timer(&reap_timer, NOW());
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    unsigned int i;

    spin_lock(&d->shutdown_lock);
    if ( d->is_shutting_down )
    {
        spin_unlock(&d->shutdown_lock);
        return;
    }
    d->is_shutting_down = true;
    d->shutdown_code = reason;
    spin_unlock(&d->shutdown_lock);

    printk("Domain %u shutdown: %s\n", d->domain_id,
           reason < ARRAY_SIZE(reason_names) ? reason_names[reason] : "?");

    /*
     * Its other vCPUs stop at their next pass through the scheduler:
     * after a halt ('noreboot') they must not run on by themselves.
     */
    atomic_inc(&d->pause_count);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_sleep_nosync(d->vcpu[i]);

    /*
     * A crashed dom0 is reported as it stands; one that shut down in
     * order is destroyed first, like a domU, so that the heap's count
     * afterwards shows whether its life left anything behind.
     */
    if ( d == hardware_domain && reason == SHUTDOWN_crash )
        hardware_domain_crashed(d);

    tell_dom0();
    reap_later(d);
}

void domain_crash(struct domain *d)
{
    struct vcpu *v = current;

    if ( d->is_shutting_down )
        return;
    printk(XENLOG_ERR "Domain %u crashed\n", d->domain_id);
    /* dom0's shutdown shows every vCPU of it. */
    if ( v->domain == d && d != hardware_domain )
        vcpu_show_state(v);
    domain_shutdown(d, SHUTDOWN_crash);
    raise_softirq(SCHEDULE_SOFTIRQ);
}
