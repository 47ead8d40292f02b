/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The iret hypercall: how a 64-bit PV kernel returns from a bounce
 * frame, to itself or to user space. The hypercall page's iret stub
 * pushes RAX, R11 and RCX below the guest's iret frame, giving a struct
 * iret_context on the guest stack at the hypercall's RSP.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/guest_access.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <public/xen.h>

long do_iret(void)
{
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    struct vcpu *v = current;
    struct iret_context ctx;

    if ( copy_from_guest_va(&ctx, regs->rsp, sizeof(ctx)) )
    {
        printk(XENLOG_WARNING "d%uv%u: iret frame at %#lx unreadable\n",
               v->domain->domain_id, v->vcpu_id, regs->rsp);
        domain_crash(v->domain);
        return regs->rax;
    }
    if ( !pv_guest_address_ok(ctx.rip) )
    {
        printk(XENLOG_WARNING "d%uv%u: iret to bad RIP %#lx\n",
               v->domain->domain_id, v->vcpu_id, ctx.rip);
        domain_crash(v->domain);
        return regs->rax;
    }

    /* RPL 3 in the frame's CS: back to user space. */
    if ( (ctx.cs & 3) == 3 && (v->arch.flags & TF_kernel_mode) )
        toggle_guest_mode(v);

    /*
     * Only the flat ring-3 selectors, whatever the frame says: a guest
     * GDT or LDT selector here would be checked against the guest's
     * descriptors, which this hypervisor does not support yet.
     */
    regs->cs = FLAT_RING3_CS64;
    regs->ss = FLAT_RING3_SS;
    regs->rip = ctx.rip;
    regs->rsp = ctx.rsp;
    regs->rflags = (ctx.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM |
                                   X86_EFLAGS_NT)) |
                   X86_EFLAGS_IF | X86_EFLAGS_MBS;
    if ( ctx.flags & VGCF_in_syscall )
    {
        /* What SYSRET would leave. */
        regs->rcx = ctx.rip;
        regs->r11 = regs->rflags;
    }
    else
    {
        regs->rcx = ctx.rcx;
        regs->r11 = ctx.r11;
    }
    /* The frame's IF is the guest's event mask to restore. */
    v->vcpu_info->evtchn_upcall_mask = !(ctx.rflags & X86_EFLAGS_IF);

    return ctx.rax;
}
