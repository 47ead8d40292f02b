/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Debug keys: a table from key to handler, and the built-in handlers.
 *
 * The keys follow Xen's where Xen has them: h (help), q (domains and
 * vCPUs), r (run queues), 0 (dom0's registers), R (reboot); m here is
 * the mapping census of the mm audit rather than Xen's memory summary.
 */
#include <asm/acpi.h>
#include <asm/mm-audit.h>
#include <asm/pv.h>
#include <xen/domain_page.h>
#include <xen/event.h>
#include <xen/init.h>
#include <xen/keyhandler.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/smp.h>

static struct {
    keyhandler_fn_t fn;
    const char *desc;
} key_table[256];

void register_keyhandler(unsigned char key, keyhandler_fn_t fn,
                         const char *desc)
{
    BUG_ON(key_table[key].fn);
    key_table[key].fn = fn;
    key_table[key].desc = desc;
}

static bool printable(unsigned char key)
{
    return key >= 0x20 && key < 0x7f;
}

void handle_keypress(unsigned char key)
{
    if ( !key_table[key].fn )
    {
        if ( printable(key) )
            printk("'%c' (ascii '%02x'): no such key; 'h' lists them\n",
                   key, key);
        else
            printk("ascii '%02x': no such key; 'h' lists them\n", key);
        return;
    }

    printk("'%c' pressed -> %s\n", key, key_table[key].desc);
    key_table[key].fn(key);
}

/* ---- the built-in keys -------------------------------------------------- */

static void show_keys(unsigned char key)
{
    unsigned int k;

    for ( k = 0; k < ARRAY_SIZE(key_table); k++ )
        if ( key_table[k].fn )
            printk(" key '%c' (ascii '%02x') => %s\n",
                   printable(k) ? k : ' ', k, key_table[k].desc);
}

static const char *const runstate_names[] = {
    [RUNSTATE_running] = "running",
    [RUNSTATE_runnable] = "runnable",
    [RUNSTATE_blocked] = "blocked",
    [RUNSTATE_offline] = "offline",
};

static void dump_vcpu(struct vcpu *v)
{
    /* Its live registers are on that CPU's stack, not in v. */
    bool elsewhere = v->is_running && v != current && !is_idle_vcpu(v);

    printk("  d%uv%u: %s on CPU%u, pause_flags %#lx, pause_count %d%s\n",
           v->domain->domain_id, v->vcpu_id,
           (unsigned int)v->runstate < ARRAY_SIZE(runstate_names)
           ? runstate_names[v->runstate] : "?",
           v->processor, v->pause_flags, atomic_read(&v->pause_count),
           elsewhere ? " (on another CPU: registers as last saved)" : "");
    /* The idle vCPUs are the hypervisor itself: no guest state to show. */
    if ( !is_idle_vcpu(v) )
        vcpu_show_state(v);
}

static void dump_domain(struct domain *d, void *unused)
{
    unsigned int i;

    printk("Domain %u%s%s%s: tot_pages %lu, max_pages %lu, pause_count %d, "
           "max_vcpus %u, continuations %lu\n", d->domain_id,
           is_idle_domain(d) ? " (idle)" : "",
           d->is_privileged ? " (privileged)" : "",
           d->is_dying ? " (dying)" :
           d->is_shutting_down ? " (shutting down)" : "",
           d->tot_pages, d->max_pages, atomic_read(&d->pause_count),
           d->max_vcpus, d->continuations);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            dump_vcpu(d->vcpu[i]);
}

static void dump_domains(unsigned char key)
{
    dump_domain(idle_domain, NULL);
    domain_for_each(dump_domain, NULL);
}

static void dump_runqueues(unsigned char key)
{
    sched_dump_runqueues();
}

/*
 * The audit wants the machine at rest; with guests running it describes
 * a moment that may never quite have been, which is what a debug key can
 * offer.
 */
static void mapping_census(unsigned char key)
{
    struct mm_audit a;

    mm_audit_run(&a);
    mm_audit_print(&a);
#ifdef CONFIG_DEBUG
    printk("mm-audit: %lu returns to a guest so far, each with every "
           "mapcache slot free\n", mapcache_exits_checked());
#endif
}

struct domain_batch {
    struct domain *d[64];
    unsigned int n;
};

static void collect_domain(struct domain *d, void *arg)
{
    struct domain_batch *b = arg;

    if ( !is_idle_domain(d) && !d->is_dying && b->n < ARRAY_SIZE(b->d) &&
         get_domain(d) )
        b->d[b->n++] = d;
}

/* The audit walks the domain list itself: collect first, then audit. */
static void audit_domains(unsigned char key)
{
    static struct domain_batch b;
    unsigned int i;

    b.n = 0;
    domain_for_each(collect_domain, &b);
    for ( i = 0; i < b.n; i++ )
    {
        struct domain *d = b.d[i];
        struct pv_audit a;

        if ( pv_audit_domain(d, &a, true) )
            printk("d%u: page audit: out of memory\n", d->domain_id);
        else
            printk("d%u: page audit: %lu pages, %lu live tables, %lu pinned, "
                   "%lu mismatches\n", d->domain_id, a.pages, a.tables,
                   a.pinned, a.mismatches);
        put_domain(d);
    }
}

static void dump_dom0_registers(unsigned char key)
{
    struct domain *d = hardware_domain;
    unsigned int i;

    if ( !d )
    {
        printk("No dom0\n");
        return;
    }
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            dump_vcpu(d->vcpu[i]);
}

static void reboot_machine(unsigned char key)
{
    machine_restart();
}

void __init keyhandler_init(void)
{
    register_keyhandler('h', show_keys, "show this list of keys");
    register_keyhandler('q', dump_domains,
                        "dump every domain and vCPU, with guest registers");
    register_keyhandler('r', dump_runqueues, "dump the run queues");
    register_keyhandler('m', mapping_census,
                        "run the mapping audit and print its census");
    register_keyhandler('a', audit_domains,
                        "audit every domain's page reference counts");
    register_keyhandler('0', dump_dom0_registers, "dump dom0's registers");
    event_dump_init();
    register_keyhandler('R', reboot_machine, "reboot the machine");
}
