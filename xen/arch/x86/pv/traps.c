/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exceptions, events and system calls delivered to a 64-bit PV guest.
 *
 * Anything the guest kernel must handle is "bounced": the hypervisor
 * writes a frame on the guest kernel's stack and resumes the guest at
 * the handler, as if the CPU had delivered it in a ring-0 kernel. The
 * frame, lowest address first:
 *
 *   RCX, R11, [DS, ES, FS, GS (failsafe only)], [error code],
 *   RIP, CS (bits 32-39: the saved upcall mask), RFLAGS, RSP, SS
 *
 * RFLAGS.IF in it is the inverse of the saved upcall mask; CS has RPL 0
 * when the guest was in kernel mode, 3 when in user mode (then the
 * vCPU switches to kernel mode, and the frame goes on the stack that
 * stack_switch registered). The guest returns with the iret hypercall.
 *
 * Work is queued in the vCPU's trap_bounce by whoever finds it (an
 * exception, a user SYSCALL, a failed iret) and the frame is written on
 * the way out, by pv_exit_work(), which also delivers event upcalls.
 */
#include <asm/smp.h>
#include <xen/domain_page.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/softirq.h>
#include <asm/guest_access.h>
#include <asm/pv.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <public/xen.h>

mfn_t pv_active_root(const struct vcpu *v)
{
    if ( (v->arch.flags & TF_kernel_mode) ||
         mfn_eq(v->arch.guest_table_user, INVALID_MFN) )
        return v->arch.guest_table;

    return v->arch.guest_table_user;
}

void toggle_guest_mode(struct vcpu *v)
{
    ASSERT(v == current);
    v->arch.flags ^= TF_kernel_mode;
    __asm__ __volatile__ ( "swapgs" ::: "memory" );
    write_cr3(mfn_to_maddr(pv_active_root(v)));
}

void pv_inject_trap(unsigned int vector, bool has_ec, uint32_t ec)
{
    struct vcpu *v = current;
    const struct pv_trap *t = &v->arch.trap_ctxt[vector];
    struct trap_bounce *tb = &v->arch.trap_bounce;

    if ( !t->address )
    {
        printk(XENLOG_WARNING "d%u: unhandled %s (error code %#x), no "
               "handler in its trap table\n", v->domain->domain_id,
               trap_name(vector), ec);
        domain_crash(v->domain);
        return;
    }
    tb->eip = t->address;
    tb->flags = TBF_EXCEPTION | (has_ec ? TBF_EXCEPTION_ERRCODE : 0) |
                (TI_GET_IF(t) ? TBF_INTERRUPT : 0);
    tb->error_code = ec;
    tb->pending = true;
}

/*
 * A soft interrupt (INT n) the guest may raise: the trap-table DPL
 * against its virtual privilege, 1 for the kernel (as Xen has it), 3
 * for user space.
 */
static bool permit_softint(const struct vcpu *v, const struct pv_trap *t)
{
    return t->address &&
           TI_GET_DPL(t) >= ((v->arch.flags & TF_kernel_mode) ? 1 : 3);
}

void pv_trap(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    unsigned int vec = regs->vector;
    uint32_t ec = regs->error_code;
    /* Before interrupts: a fault in a handler would overwrite it. */
    unsigned long cr2 = vec == X86_EXC_PF ? read_cr2() : 0;

    local_irq_enable();

    /*
     * INT n through a DPL-0 gate faults with #GP(n * 8 + 2); if the
     * guest's own table allows n from where it was, it becomes n.
     */
    if ( vec == X86_EXC_GP && (ec & 3) == 2 &&
         permit_softint(v, &v->arch.trap_ctxt[ec >> 3]) )
    {
        regs->rip += 2;
        pv_inject_trap(ec >> 3, false, 0);
        return;
    }

    if ( (vec == X86_EXC_GP && !ec) || vec == X86_EXC_UD )
        if ( pv_emulate_privileged_op(regs) )
            return;

    if ( vec == X86_EXC_PF && pv_ptwr_emulate(regs, cr2) )
        return;

    if ( vec == X86_EXC_PF )
    {
        v->vcpu_info->arch.cr2 = cr2;
        /* The guest kernel runs in ring 3, but it is no user. */
        ec &= ~PFEC_user;
        if ( !(v->arch.flags & TF_kernel_mode) )
            ec |= PFEC_user;
    }

    pv_inject_trap(vec, (X86_EXC_HAVE_EC >> vec) & 1, ec);
}

/* Writes tb's frame on the guest stack and points regs at the handler. */
static void create_bounce_frame(struct vcpu *v, struct cpu_user_regs *regs,
                                const struct trap_bounce *tb)
{
    struct vcpu_info *vi = v->vcpu_info;
    unsigned long frame[12], *p = &frame[12];
    unsigned long rsp, cs = regs->cs & 0xffff;
    uint8_t saved_mask = vi->evtchn_upcall_mask;

    if ( v->arch.flags & TF_kernel_mode )
    {
        rsp = regs->rsp;
        cs &= ~3UL; /* tells the guest kernel the frame is its own */
    }
    else
    {
        toggle_guest_mode(v);
        rsp = v->arch.kernel_sp;
    }
    rsp &= ~0xfUL;

    /* Built downwards, as a CPU would push it. */
    *--p = regs->ss & 0xffff;
    *--p = regs->rsp;
    *--p = (regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
           (saved_mask ? 0 : X86_EFLAGS_IF);
    *--p = cs | ((unsigned long)saved_mask << 32);
    *--p = regs->rip;
    if ( tb->flags & TBF_EXCEPTION_ERRCODE )
        *--p = tb->error_code;
    if ( tb->flags & TBF_FAILSAFE )
    {
        *--p = v->arch.gs;
        *--p = v->arch.fs;
        *--p = v->arch.es;
        *--p = v->arch.ds;
    }
    *--p = regs->r11;
    *--p = regs->rcx;

    rsp -= (&frame[12] - p) * sizeof(*p);
    if ( copy_to_guest_va(rsp, p, (&frame[12] - p) * sizeof(*p)) )
    {
        printk(XENLOG_WARNING "d%uv%u: cannot write a bounce frame at "
               "%#lx (guest stack unmapped or read-only)\n",
               v->domain->domain_id, v->vcpu_id, rsp);
        domain_crash(v->domain);
        return;
    }

    if ( tb->flags & TBF_INTERRUPT )
        vi->evtchn_upcall_mask = 1;

    regs->rflags &= ~(X86_EFLAGS_AC | X86_EFLAGS_VM | X86_EFLAGS_RF |
                      X86_EFLAGS_NT | X86_EFLAGS_TF);
    regs->ss = FLAT_KERNEL_SS;
    regs->rsp = rsp;
    regs->cs = FLAT_KERNEL_CS;
    regs->rip = tb->eip;
    regs->vector = TRAP_syscall; /* the frame is no longer a hardware one */
}

static bool upcall_due(const struct vcpu *v)
{
    const struct vcpu_info *vi = v->vcpu_info;

    return vi && read_atomic(&vi->evtchn_upcall_pending) &&
           !read_atomic(&vi->evtchn_upcall_mask) &&
           v->arch.event_callback_eip;
}

void pv_exit_work(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    struct trap_bounce *tb = &v->arch.trap_bounce;

    for ( ;; )
    {
        local_irq_disable();
        if ( softirq_pending(smp_processor_id()) )
        {
            local_irq_enable();
            do_softirq(); /* may switch away for good */
            continue;
        }
        if ( tb->pending )
        {
            local_irq_enable();
            tb->pending = false;
            create_bounce_frame(v, regs, tb);
            continue;
        }
        if ( upcall_due(v) )
        {
            struct trap_bounce ev = {
                .eip = v->arch.event_callback_eip,
                .flags = TBF_INTERRUPT,
            };

            local_irq_enable();
            create_bounce_frame(v, regs, &ev);
            continue;
        }
        mapcache_check_exit();
        return;
    }
}
