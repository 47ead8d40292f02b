/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The unprivileged PV domains of the boot modules (xen/domu.h for the
 * line they are described by).
 *
 * Planned before dom0 is built, so that their memory is set aside from
 * what dom0 takes by default ("all the rest"), and built right after it:
 * domains 1, 2, ... in module order. A bad line, too little memory or a
 * kernel that does not load costs one line on the console and that
 * domU only; the machine boots on.
 *
 * Each domU's build is logged with the heap's settled counts
 * (heap_settled_counts()), which its destruction logs again: a boot test
 * compares the two exactly.
 */
#include <xen/domu.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <asm/bootinfo.h>
#include <asm/dom0_build.h>

struct planned_domu {
    const struct boot_module *m;
    const struct boot_module *initrd;   /* NULL: none */
    domid_t id;
    bool ok;                      /* the line is good and memory holds it */
    struct domu_config c;
};

static struct planned_domu __initdata plan[BOOT_MODULES_MAX];
static unsigned int __initdata nr_planned;

unsigned long __init domu_plan(void)
{
    unsigned long avail = guest_pages_available(), floor = dom0_min_pages();
    unsigned long left = avail > floor ? avail - floor : 0, total = 0;
    unsigned int i;
    char err[128];

    for ( i = 0; i < boot_info.nr_modules; i++ )
    {
        struct planned_domu *p = &plan[nr_planned];
        const char *line = boot_info.modules[i].cmdline;
        const char *next = i + 1 < boot_info.nr_modules
                           ? boot_info.modules[i + 1].cmdline : "";

        if ( is_domu_initrd_cmdline(line) )
        {
            if ( !i || !is_domu_cmdline(boot_info.modules[i - 1].cmdline) )
                printk(XENLOG_ERR "module %u: a domU-initrd must follow its "
                       "domU's kernel module; ignored\n", i);
            continue;
        }
        if ( !is_domu_cmdline(line) )
            continue;
        p->m = &boot_info.modules[i];
        p->id = ++nr_planned;
        if ( parse_domu_cmdline(p->m->cmdline, &p->c, err, sizeof(err)) )
        {
            printk(XENLOG_ERR "d%u: bad domU line (module %u): %s; booting "
                   "on without it\n", p->id, i, err);
            continue;
        }
        if ( is_domu_initrd_cmdline(next) )
        {
            /* A domU without the initrd it was given would not be it. */
            if ( parse_domu_initrd_cmdline(next, err, sizeof(err)) )
            {
                printk(XENLOG_ERR "d%u: bad domU-initrd line (module %u): "
                       "%s; booting on without it\n", p->id, i + 1, err);
                continue;
            }
            p->initrd = &boot_info.modules[i + 1];
        }
        if ( p->c.nr_pages > left - total )
        {
            printk(XENLOG_ERR "d%u: not enough memory: %lu MiB asked, %lu MiB "
                   "left for domUs (dom0 keeps %lu MiB); booting on without "
                   "it\n", p->id, p->c.nr_pages >> (20 - PAGE_SHIFT),
                   (left - total) >> (20 - PAGE_SHIFT),
                   floor >> (20 - PAGE_SHIFT));
            continue;
        }
        p->ok = true;
        total += p->c.nr_pages;
    }

    return total;
}

static void __init domu_create(const struct planned_domu *p)
{
    unsigned int i, nr_cpus = cpumask_weight(&cpu_online_map);
    unsigned long free, tables;
    struct pv_build_info b = {
        .kernel = p->m,
        .initrd = p->initrd,
        .cmdline = p->c.cmdline,
        .nr_pages = p->c.nr_pages,
    };
    struct domain *d;

    heap_settled_counts(&free, &tables);
    d = domain_create(p->id, p->c.vcpus, false);
    if ( !d )
    {
        printk(XENLOG_ERR "d%u: cannot create the domain; booting on without "
               "it\n", p->id);
        return;
    }
    /* Spread over the CPUs, starting after dom0's first vCPU. */
    for ( i = 0; i < p->c.vcpus; i++ )
        if ( !vcpu_create(d, i, (p->id + i) % nr_cpus) )
        {
            printk(XENLOG_ERR "d%u: cannot create vCPU%u; booting on "
                   "without it\n", p->id, i);
            domain_kill(d);
            return;
        }
    if ( construct_pv_domain(d, &b) )
    {
        printk(XENLOG_ERR "d%u: not built; booting on without it\n", p->id);
        domain_kill(d);
        return;
    }

    printk("d%u: domU, %u vCPU%s, %lu pages, command line \"%s\"%s; heap "
           "before it: %lu free + %lu hypervisor page tables; starting it\n",
           p->id, p->c.vcpus, p->c.vcpus == 1 ? "" : "s", d->tot_pages,
           p->c.cmdline, p->initrd ? ", initrd" : "", free, tables);
    domain_unpause(d);
}

void __init domu_create_all(void)
{
    unsigned int i;

    for ( i = 0; i < nr_planned; i++ )
        if ( plan[i].ok )
            domu_create(&plan[i]);
}
