/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dom0: created at the end of boot from the multiboot2 modules (the
 * first that is not a domU), then the domUs; and the vCPU state report a
 * crash prints.
 */
#include <xen/domu.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <asm/acpi.h>
#include <asm/bootinfo.h>
#include <asm/dom0_build.h>
#include <asm/guest_access.h>
#include <asm/pv.h>
#include <asm/traps.h>

static unsigned int dom0_vcpu_count(void)
{
    unsigned int n = cpumask_weight(&cpu_online_map);

    if ( n < opt_dom0_max_vcpus_min )
        n = opt_dom0_max_vcpus_min;
    if ( n > opt_dom0_max_vcpus_max )
        n = opt_dom0_max_vcpus_max;
    if ( n > XEN_LEGACY_MAX_VCPUS )
        n = XEN_LEGACY_MAX_VCPUS;

    return n;
}

static void __noreturn no_dom0(const char *why)
{
    printk(XENLOG_ERR "%s: no dom0 to run; halting\n", why);
    machine_halt();
}

const struct boot_module *boot_guest_module(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < boot_info.nr_modules; i++ )
        if ( !is_domu_module_cmdline(boot_info.modules[i].cmdline) && !n-- )
            return &boot_info.modules[i];

    return NULL;
}

/*
 * dom0 is built first, so that it is domain 0 and the first in the
 * domain list, but after the domUs' memory is set aside (domu_plan()):
 * by default dom0 takes all the rest, and the domUs are then built from
 * what it left.
 */
void __init create_dom0(void)
{
    unsigned int i, n = dom0_vcpu_count(), nr_cpus;
    unsigned long kept;
    struct domain *d;

    /*
     * Nothing to run, but the CPUs idle (halted between interrupts) rather
     * than stop for good: the console's debug keys still answer.
     */
    if ( !boot_guest_module(0) )
    {
        printk(XENLOG_ERR "No dom0 kernel (the first multiboot2 module that "
               "is not a domU): no dom0 to run; halting\n");
        return;
    }

    kept = domu_plan();
    heap_note_before_dom0();
    d = domain_create(0, n, true);
    if ( !d )
        panic("Cannot create dom0");
    nr_cpus = cpumask_weight(&cpu_online_map);
    for ( i = 0; i < n; i++ )
        if ( !vcpu_create(d, i, i % nr_cpus) )
            panic("Cannot create dom0's vCPU%u", i);
    hardware_domain = d;

    if ( construct_dom0(d, kept) )
        no_dom0("Could not build dom0");

    printk("dom0: %u vCPU%s%s, %lu pages; starting it\n", n,
           n == 1 ? "" : "s", opt_dom0_vcpus_pin ? " (pinned)" : "",
           d->tot_pages);
    /* The domUs' heap counts are taken before dom0 runs and allocates. */
    domu_create_all();
    domain_unpause(d);
}

void vcpu_show_state(struct vcpu *v)
{
    const struct cpu_user_regs *r = v == current ? guest_cpu_user_regs()
                                                 : &v->arch.user_regs;
    unsigned long stack[8];
    unsigned int i;

    printk(XENLOG_ERR "d%uv%u state (%s mode):\n", v->domain->domain_id,
           v->vcpu_id, (v->arch.flags & TF_kernel_mode) ? "kernel" : "user");
    printk(XENLOG_ERR "RIP:    %04lx:%016lx  RFLAGS: %016lx\n",
           r->cs & 0xffff, r->rip, r->rflags);
    show_gprs(r);
    if ( mfn_eq(pv_active_root(v), INVALID_MFN) )
        printk(XENLOG_ERR "r15: %016lx   ss: %04lx   cr3: none\n",
               r->r15, r->ss & 0xffff);
    else
        printk(XENLOG_ERR "r15: %016lx   ss: %04lx   cr3: %016lx\n",
               r->r15, r->ss & 0xffff, mfn_to_maddr(pv_active_root(v)));
    if ( v != current )
        return;
    if ( copy_from_guest_va(stack, r->rsp, sizeof(stack)) )
    {
        printk(XENLOG_ERR "Guest stack at %016lx: unreadable\n", r->rsp);
        return;
    }
    printk(XENLOG_ERR "Guest stack at %016lx:\n", r->rsp);
    for ( i = 0; i < ARRAY_SIZE(stack); i += 4 )
        printk(XENLOG_ERR "  %016lx %016lx %016lx %016lx\n", stack[i],
               stack[i + 1], stack[i + 2], stack[i + 3]);
}
