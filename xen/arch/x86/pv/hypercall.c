/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypercall table: numbers (public/xen.h) to handlers
 * (xen/hypercall.h), and the dispatch a guest kernel's SYSCALL reaches.
 */
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/percpu.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/spinlock.h>
#include <xen/time.h>
#include <asm/current.h>
#include <asm/guest_access.h>
#include <asm/pv.h>
#include <public/xen.h>

typedef long (*hypercall_fn_t)(unsigned long, unsigned long, unsigned long,
                               unsigned long, unsigned long);

/* Handlers take fewer arguments than the ABI passes; the rest are unused. */
#define HC(nr, fn) [__HYPERVISOR_##nr] = (hypercall_fn_t)(void (*)(void))(fn)

static long do_multicall(unsigned long list, unsigned long nr);

static const hypercall_fn_t hypercall_table[] = {
    HC(set_trap_table, do_set_trap_table),
    HC(mmu_update, do_mmu_update),
    HC(set_gdt, do_set_gdt),
    HC(stack_switch, do_stack_switch),
    HC(set_callbacks, do_set_callbacks),
    HC(fpu_taskswitch, do_fpu_taskswitch),
    HC(platform_op, do_platform_op),
    HC(set_debugreg, do_set_debugreg),
    HC(get_debugreg, do_get_debugreg),
    HC(update_descriptor, do_update_descriptor),
    HC(memory_op, do_memory_op),
    HC(update_va_mapping, do_update_va_mapping),
    HC(update_va_mapping_otherdomain, do_update_va_mapping_otherdomain),
    HC(multicall, do_multicall),
    HC(set_timer_op, do_set_timer_op),
    HC(xen_version, do_xen_version),
    HC(console_io, do_console_io),
    HC(grant_table_op, do_grant_table_op),
    HC(vm_assist, do_vm_assist),
    HC(iret, do_iret),
    HC(vcpu_op, do_vcpu_op),
    HC(set_segment_base, do_set_segment_base),
    HC(mmuext_op, do_mmuext_op),
    HC(sched_op, do_sched_op),
    HC(callback_op, do_callback_op),
    HC(event_channel_op, do_event_channel_op),
    HC(physdev_op, do_physdev_op),
    HC(xenpmu_op, do_xenpmu_op),
};

#define NR_HYPERCALLS (sizeof(hypercall_table) / sizeof(hypercall_table[0]))

#define HN(nr) [__HYPERVISOR_##nr] = #nr
static const char *const hypercall_names[NR_HYPERCALLS] = {
    HN(set_trap_table), HN(mmu_update), HN(set_gdt), HN(stack_switch),
    HN(set_callbacks), HN(fpu_taskswitch), HN(platform_op),
    HN(set_debugreg), HN(get_debugreg), HN(update_descriptor),
    HN(memory_op), HN(multicall), HN(update_va_mapping), HN(set_timer_op),
    HN(xen_version), HN(console_io), HN(grant_table_op), HN(vm_assist), HN(iret), HN(vcpu_op),
    HN(set_segment_base), HN(mmuext_op), HN(sched_op), HN(callback_op),
    HN(event_channel_op), HN(physdev_op), HN(update_va_mapping_otherdomain),
    HN(xenpmu_op),
};

/*
 * The multicall entry running on this CPU, if any: a handler that asks
 * for a continuation inside a batch gets its entry's arguments rewritten
 * rather than the guest's registers. Per CPU, not per vCPU: a hypercall
 * runs to its end on the CPU it started on (a context switch happens
 * only on the way out to the guest).
 */
struct multicall_state {
    struct multicall_entry *entry;  /* NULL outside a multicall */
    bool preempted;
};
static DEFINE_PER_CPU(struct multicall_state, mc_state);

bool hypercall_preempt_check(void)
{
    return softirq_pending(smp_processor_id()) ||
           vcpu_event_pending(current);
}

long hypercall_continuation_args(unsigned int op, const unsigned long *args,
                                 unsigned int nr_args)
{
    struct multicall_state *mcs = &this_cpu(mc_state);
    unsigned int i;

    ASSERT(nr_args <= 5);
    if ( mcs->entry )
    {
        /* Re-run this entry with what is left; the batch resumes here. */
        mcs->entry->op = op;
        for ( i = 0; i < nr_args; i++ )
            mcs->entry->args[i] = args[i];
        mcs->preempted = true;
        return op;
    }
    else
    {
        struct cpu_user_regs *regs = guest_cpu_user_regs();
        unsigned long *const arg_regs[] = { &regs->rdi, &regs->rsi,
                                            &regs->rdx, &regs->r10,
                                            &regs->r8 };

        current->domain->continuations++;
        /* Back onto the hypercall page's two-byte SYSCALL. */
        regs->rip -= 2;
        for ( i = 0; i < nr_args; i++ )
            *arg_regs[i] = args[i];
        /* The handler's return value becomes rax: the number again. */
        return op;
    }
}

/*
 * multicall: a batch of hypercalls, each entry's result written back
 * into it; a failing entry does not stop the batch (its result says
 * so). Entries that cannot be batched (iret, which replaces the
 * caller's frame; multicall itself) get -EINVAL. A batch is preempted
 * between entries, or inside an entry that continues itself; either way
 * the multicall is re-entered at the first entry not yet finished.
 */
static long do_multicall(unsigned long list, unsigned long nr)
{
    struct multicall_state *mcs = &this_cpu(mc_state);
    unsigned long i;

    for ( i = 0; i < nr; i++ )
    {
        unsigned long addr = list + i * sizeof(struct multicall_entry);
        struct multicall_entry mc;
        hypercall_fn_t fn = NULL;

        if ( i && hypercall_preempt_check() )
            return hypercall_create_continuation(__HYPERVISOR_multicall,
                                                 addr, nr - i);
        if ( copy_from_guest_va(&mc, addr, sizeof(mc)) )
            return -EFAULT;
        if ( mc.op < NR_HYPERCALLS && mc.op != __HYPERVISOR_iret &&
             mc.op != __HYPERVISOR_multicall )
            fn = hypercall_table[mc.op];
        mcs->entry = &mc;
        mcs->preempted = false;
        mc.result = fn ? fn(mc.args[0], mc.args[1], mc.args[2], mc.args[3],
                            mc.args[4])
                       : (mc.op == __HYPERVISOR_iret ||
                          mc.op == __HYPERVISOR_multicall ? -EINVAL : -ENOSYS);
        mcs->entry = NULL;
        if ( mcs->preempted )
        {
            /* The entry now describes what it has left: store and resume. */
            mcs->preempted = false;
            if ( copy_to_guest_va(addr, &mc, sizeof(mc)) )
                return -EFAULT;
            return hypercall_create_continuation(__HYPERVISOR_multicall,
                                                 addr, nr - i);
        }
        if ( copy_to_guest_va(addr + offsetof(struct multicall_entry, result),
                              &mc.result, sizeof(mc.result)) )
            return -EFAULT;
    }

    return 0;
}

/*
 * Failing calls are logged at most FAILURE_LOG_BURST a second: a guest
 * that fails in a loop (a fuzzer, a race) would otherwise spend its time
 * waiting for the serial line. The lines dropped are counted.
 */
#define FAILURE_LOG_BURST 50
static DEFINE_SPINLOCK(failure_log_lock);

static bool failure_log_ok(void)
{
    static s_time_t window;
    static unsigned int logged, dropped;
    s_time_t now = NOW();
    bool ok;

    spin_lock(&failure_log_lock);
    if ( now - window >= SECONDS(1) )
    {
        if ( dropped )
            printk(XENLOG_DEBUG "(%u failing hypercalls not logged)\n",
                   dropped);
        window = now;
        logged = dropped = 0;
    }
    ok = logged < FAILURE_LOG_BURST;
    if ( ok )
        logged++;
    else
        dropped++;
    spin_unlock(&failure_log_lock);

    return ok;
}

/* Each unknown number is reported once (at debug level). */
static unsigned long unknown_seen[(64 + 63) / 64];

void pv_hypercall(struct cpu_user_regs *regs)
{
    unsigned long nr = regs->rax;
    long rc;
    hypercall_fn_t fn = nr < NR_HYPERCALLS ? hypercall_table[nr] : NULL;

    if ( !fn )
    {
        if ( nr >= 64 || !test_and_set_bit(nr, unknown_seen) )
            printk(XENLOG_DEBUG "d%u: unknown hypercall %lu (-ENOSYS)\n",
                   current->domain->domain_id, nr);
        regs->rax = -ENOSYS;
        return;
    }

    /* iret replaces the whole frame, rax included, and returns it. */
    rc = fn(regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8);
    /*
     * Guests make failing calls on purpose (probing) as well as by
     * mistake: one line each, at debug level, to tell which is which.
     */
    if ( rc < 0 && nr != __HYPERVISOR_iret && failure_log_ok() )
        printk(XENLOG_DEBUG "d%uv%u %s(%#lx, %#lx, %#lx) = %ld\n",
               current->domain->domain_id, current->vcpu_id,
               hypercall_names[nr], regs->rdi, regs->rsi, regs->rdx, rc);
    regs->rax = rc;
}
