/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VCPUOP_initialise: a whole vCPU state from a struct vcpu_guest_context,
 * checked as the hypercalls that set each part one by one would check
 * it (trap table, callbacks, GDT, segment bases, debug registers, the
 * root page table). The real RFLAGS.IOPL is always 0; the context's
 * IOPL becomes the virtual one (what physdev_op set_iopl sets).
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <asm/guest_access.h>
#include <asm/i387.h>
#include <asm/pv-mm.h>
#include <asm/desc.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <asm/processor.h>
#include <public/xen.h>

#define XSTATE_BV_OFFSET 512

static void load_user_regs(struct cpu_user_regs *r,
                           const struct xen_cpu_user_regs *g)
{
    memset(r, 0, sizeof(*r));
    r->r15 = g->r15; r->r14 = g->r14; r->r13 = g->r13; r->r12 = g->r12;
    r->rbp = g->rbp; r->rbx = g->rbx; r->r11 = g->r11; r->r10 = g->r10;
    r->r9 = g->r9; r->r8 = g->r8; r->rax = g->rax; r->rcx = g->rcx;
    r->rdx = g->rdx; r->rsi = g->rsi; r->rdi = g->rdi;
    r->rip = g->rip;
    r->rsp = g->rsp;
    /* Flat ring-3 selectors only, interrupts on: see the iret hypercall. */
    r->cs = FLAT_RING3_CS64;
    r->ss = FLAT_RING3_SS;
    r->rflags = (g->rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM |
                               X86_EFLAGS_NT)) |
                X86_EFLAGS_IF | X86_EFLAGS_MBS;
}

static int set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct arch_vcpu *a = &v->arch;
    unsigned long l4 = c->ctrlreg[3] >> PAGE_SHIFT;
    unsigned int i;
    int rc;

    if ( !pv_guest_address_ok(c->user_regs.rip) ||
         !pv_guest_address_ok(c->event_callback_eip) ||
         !pv_guest_address_ok(c->failsafe_callback_eip) ||
         !pv_guest_address_ok(c->syscall_callback_eip) ||
         !pv_guest_address_ok(c->fs_base) ||
         !pv_guest_address_ok(c->gs_base_kernel) ||
         !pv_guest_address_ok(c->gs_base_user) ||
         c->gdt_ents > FIRST_RESERVED_GDT_ENTRY ||
         c->ldt_ents )
        return -EINVAL;
    for ( i = 0; i < X86_NR_VECTORS; i++ )
        if ( c->trap_ctxt[i].address &&
             !pv_guest_address_ok(c->trap_ctxt[i].address) )
            return -EINVAL;

    if ( !mfn_valid(_mfn(l4)) ||
         !get_page_and_type(mfn_to_page(_mfn(l4)), v->domain,
                            PGT_l4_page_table) )
        return -EINVAL;
    rc = pv_set_gdt(v, c->gdt_frames, c->gdt_ents);
    if ( rc )
    {
        put_page_and_type(mfn_to_page(_mfn(l4)));
        return rc;
    }

    load_user_regs(&a->user_regs, &c->user_regs);
    /*
     * The IOPL field of the context's RFLAGS is the new vCPU's virtual
     * IOPL (as in Xen), since it can never run with a real one: a vCPU
     * brought up with IOPL 1, as Linux asks for, may use the I/O ports
     * from its kernel like the boot vCPU after set_iopl.
     */
    a->iopl = (c->user_regs.rflags & X86_EFLAGS_IOPL) >> 12;
    a->flags = (c->flags & VGCF_in_kernel) ? TF_kernel_mode : 0;
    for ( i = 0; i < X86_NR_VECTORS; i++ )
    {
        a->trap_ctxt[c->trap_ctxt[i].vector].address = c->trap_ctxt[i].address;
        a->trap_ctxt[c->trap_ctxt[i].vector].cs = FLAT_KERNEL_CS;
        a->trap_ctxt[c->trap_ctxt[i].vector].flags = c->trap_ctxt[i].flags;
    }
    a->event_callback_eip = c->event_callback_eip;
    a->failsafe_callback_eip = c->failsafe_callback_eip;
    a->syscall_callback_eip = c->syscall_callback_eip;
    a->failsafe_disables_events = c->flags & VGCF_failsafe_disables_events;
    a->syscall_disables_events = c->flags & VGCF_syscall_disables_events;
    a->kernel_ss = c->kernel_ss | 3; /* the kernel runs in ring 3 */
    a->kernel_sp = c->kernel_sp;
    a->fs_base = c->fs_base;
    a->gs_base_kernel = c->gs_base_kernel;
    a->gs_base_user = c->gs_base_user;
    a->ds = a->es = a->fs = a->gs = 0;
    if ( c->flags & VGCF_i387_valid )
    {
        uint8_t *area = a->xsave_area;

        memcpy(area, &c->fpu_ctxt, sizeof(c->fpu_ctxt));
        if ( xcr0_host )
            *(uint64_t *)(area + XSTATE_BV_OFFSET) |= 3; /* x87, SSE */
    }
    a->guest_table = _mfn(l4);

    return 0;
}

/*
 * Two vCPUs initialising one other vCPU at once must not both pass the
 * checks (the loser's table and GDT references would leak). Rare: one
 * lock will do.
 */
static DEFINE_SPINLOCK(initialise_lock);

long pv_vcpu_initialise(struct vcpu *v, unsigned long arg)
{
    struct vcpu_guest_context *c;
    long rc;

    c = xmalloc(struct vcpu_guest_context);
    if ( !c )
        return -ENOMEM;
    if ( copy_from_guest_va(c, arg, sizeof(*c)) )
    {
        xfree(c);
        return -EFAULT;
    }
    spin_lock(&initialise_lock);
    if ( !test_bit(_VPF_down, &v->pause_flags) )
        rc = -EINVAL;
    else if ( !mfn_eq(v->arch.guest_table, INVALID_MFN) )
        rc = -EEXIST;
    else
        rc = set_info_guest(v, c);
    spin_unlock(&initialise_lock);
    xfree(c);

    return rc;
}
