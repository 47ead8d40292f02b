/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domain shutdown and crash, and what the machine does when dom0 goes:
 * power off or reboot as dom0 asked, as Xen does; a crashed dom0 is
 * reported with its vCPU state and the machine reboots, or halts with
 * `noreboot`.
 */
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/softirq.h>
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

static void __noreturn hardware_domain_gone(unsigned int reason)
{
    switch ( reason )
    {
    case SHUTDOWN_poweroff:
        printk("Hardware dom0 shut down: powering off\n");
        machine_power_off();
        break;
    case SHUTDOWN_crash:
        if ( opt_noreboot )
        {
            printk("Hardware dom0 crashed: halting (noreboot)\n");
            machine_halt();
        }
        printk("Hardware dom0 crashed: rebooting\n");
        machine_restart();
        break;
    default:
        printk("Hardware dom0 shut down (%s): rebooting\n",
               reason < ARRAY_SIZE(reason_names) ? reason_names[reason]
                                                 : "?");
        machine_restart();
        break;
    }
    machine_halt();
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

    if ( d == hardware_domain )
        hardware_domain_gone(reason);

    atomic_inc(&d->pause_count);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_sleep_nosync(d->vcpu[i]);
    send_global_virq(hardware_domain, VIRQ_DOM_EXC);
}

void domain_crash(struct domain *d)
{
    struct vcpu *v = current;

    if ( d->is_shutting_down )
        return;
    printk(XENLOG_ERR "Domain %u crashed\n", d->domain_id);
    if ( v->domain == d )
        vcpu_show_state(v);
    domain_shutdown(d, SHUTDOWN_crash);
    raise_softirq(SCHEDULE_SOFTIRQ);
}
