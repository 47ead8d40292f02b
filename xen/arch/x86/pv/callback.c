/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a PV kernel tells the hypervisor where its handlers and stacks
 * are, and sets the per-vCPU state a ring-0 kernel would set itself:
 * set_trap_table, callback_op, set_callbacks, stack_switch,
 * set_segment_base, fpu_taskswitch, set_debugreg/get_debugreg,
 * vm_assist. Every guest address is checked here, when it is given,
 * so the bounce paths can trust what they find.
 */
#include <xen/string.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/guest_access.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <public/callback.h>
#include <public/xen.h>

long do_set_trap_table(unsigned long list)
{
    struct vcpu *v = current;
    struct pv_trap *tt = v->arch.trap_ctxt;
    struct trap_info ti;
    unsigned int i;

    if ( !list )
    {
        memset(tt, 0, X86_NR_VECTORS * sizeof(*tt));
        return 0;
    }

    /* At most one entry per vector; a zero address ends the list. */
    for ( i = 0; i < X86_NR_VECTORS; i++ )
    {
        if ( copy_from_guest_va(&ti, list + i * sizeof(ti), sizeof(ti)) )
            return -EFAULT;
        if ( !ti.address )
            break;
        if ( !pv_guest_address_ok(ti.address) )
            return -EINVAL;
        tt[ti.vector].address = ti.address;
        tt[ti.vector].cs = FLAT_KERNEL_CS;
        tt[ti.vector].flags = ti.flags;
    }

    return 0;
}

static long register_callback(const struct callback_register *cb)
{
    struct arch_vcpu *a = &current->arch;
    bool mask = cb->flags & CALLBACKF_mask_events;

    if ( !pv_guest_address_ok(cb->address) )
        return -EINVAL;

    switch ( cb->type )
    {
    case CALLBACKTYPE_event:
        a->event_callback_eip = cb->address;
        return 0;
    case CALLBACKTYPE_failsafe:
        a->failsafe_callback_eip = cb->address;
        a->failsafe_disables_events = mask;
        return 0;
    case CALLBACKTYPE_syscall:
        a->syscall_callback_eip = cb->address;
        a->syscall_disables_events = mask;
        return 0;
    case CALLBACKTYPE_nmi:
        a->nmi_callback_eip = cb->address;
        return 0;
    case CALLBACKTYPE_syscall32:
    case CALLBACKTYPE_sysenter:
        /* No 32-bit user code: accepted, never used. */
        return 0;
    default:
        return -ENOSYS;
    }
}

long do_callback_op(unsigned long cmd, unsigned long arg)
{
    switch ( cmd )
    {
    case CALLBACKOP_register:
    {
        struct callback_register cb;

        if ( copy_from_guest_va(&cb, arg, sizeof(cb)) )
            return -EFAULT;
        return register_callback(&cb);
    }
    case CALLBACKOP_unregister:
    {
        struct callback_unregister cb;
        struct arch_vcpu *a = &current->arch;

        if ( copy_from_guest_va(&cb, arg, sizeof(cb)) )
            return -EFAULT;
        switch ( cb.type )
        {
        case CALLBACKTYPE_event:
            /* Xen refuses to lose the event callback: so do we. */
            return -EINVAL;
        case CALLBACKTYPE_failsafe:
            a->failsafe_callback_eip = 0;
            return 0;
        case CALLBACKTYPE_syscall:
            a->syscall_callback_eip = 0;
            return 0;
        case CALLBACKTYPE_nmi:
            a->nmi_callback_eip = 0;
            return 0;
        case CALLBACKTYPE_syscall32:
        case CALLBACKTYPE_sysenter:
            return 0;
        default:
            return -ENOSYS;
        }
    }
    default:
        return -ENOSYS;
    }
}

long do_set_callbacks(unsigned long event, unsigned long failsafe,
                      unsigned long syscall)
{
    struct callback_register cb[3] = {
        { .type = CALLBACKTYPE_event, .address = event },
        { .type = CALLBACKTYPE_failsafe, .address = failsafe },
        { .type = CALLBACKTYPE_syscall, .address = syscall },
    };
    unsigned int i;
    long rc;

    for ( i = 0; i < 3; i++ )
        if ( (rc = register_callback(&cb[i])) )
            return rc;

    return 0;
}

long do_stack_switch(unsigned long ss, unsigned long esp)
{
    struct arch_vcpu *a = &current->arch;

    /*
     * The kernel runs in ring 3: its stack selector gets RPL 3, as Xen
     * fixes it up (Linux passes its own __KERNEL_DS).
     */
    a->kernel_ss = ss | 3;
    a->kernel_sp = esp;

    return 0;
}

long do_set_segment_base(unsigned long which, unsigned long base)
{
    switch ( which )
    {
    case SEGBASE_FS:
        if ( !pv_guest_address_ok(base) )
            return -EINVAL;
        wrmsr(MSR_FS_BASE, base);
        return 0;
    case SEGBASE_GS_USER:
        /* The kernel calls this: the user's base is the inactive one. */
        if ( !pv_guest_address_ok(base) )
            return -EINVAL;
        wrmsr(MSR_SHADOW_GS_BASE, base);
        return 0;
    case SEGBASE_GS_KERNEL:
        if ( !pv_guest_address_ok(base) )
            return -EINVAL;
        wrmsr(MSR_GS_BASE, base);
        return 0;
    case SEGBASE_GS_USER_SEL:
        return load_user_gs_selector(base) ? 0 : -EINVAL;
    default:
        return -EINVAL;
    }
}

long do_fpu_taskswitch(unsigned long set)
{
    struct vcpu *v = current;

    v->arch.fpu_ts = !!set;
    if ( set )
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        clts();

    return 0;
}

/* What a guest may put in DR7: no I/O breakpoints, no general detect. */
#define DR7_GUEST_MASK 0xffff07ffUL
#define DR7_GD        (1UL << 13)

long do_set_debugreg(unsigned long reg, unsigned long value)
{
    struct vcpu *v = current;

    switch ( reg )
    {
    case 0 ... 3:
        if ( !pv_guest_address_ok(value) )
            return -EPERM;
        break;
    case 6:
        value = (value & 0xe00f) | 0xffff0ff0UL;
        break;
    case 7:
        if ( value & ~DR7_GUEST_MASK & 0xffffffffUL )
            return -EPERM;
        if ( value >> 32 )
            return -EINVAL;
        value &= ~DR7_GD;
        break;
    default:
        return -EINVAL;
    }
    v->arch.debugreg[reg] = value;
    load_debug_registers(v);

    return 0;
}

long do_get_debugreg(unsigned long reg)
{
    if ( reg > 7 || reg == 4 || reg == 5 )
        return -EINVAL;

    return current->arch.debugreg[reg];
}

/* The assists a 64-bit PV guest may ask for (Xen's set). */
#define VM_ASSIST_VALID ((1UL << VMASST_TYPE_writable_pagetables) |      \
                         (1UL << VMASST_TYPE_pae_extended_cr3) |         \
                         (1UL << VMASST_TYPE_architectural_iopl) |       \
                         (1UL << VMASST_TYPE_runstate_update_flag) |     \
                         (1UL << VMASST_TYPE_m2p_strict))

long do_vm_assist(unsigned long cmd, unsigned long type)
{
    struct domain *d = current->domain;

    if ( type >= BITS_PER_LONG || !((VM_ASSIST_VALID >> type) & 1) )
        return -EINVAL;

    switch ( cmd )
    {
    case VMASST_CMD_enable:
        set_bit(type, &d->arch.vm_assist);
        return 0;
    case VMASST_CMD_disable:
        clear_bit(type, &d->arch.vm_assist);
        return 0;
    default:
        return -ENOSYS;
    }
}
