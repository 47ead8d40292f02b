/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SYSCALL from a PV guest: the MSRs of each CPU, and what an entry does.
 *
 * A 64-bit PV kernel runs in ring 3 like its user space, so SYSCALL is
 * how both enter the hypervisor: from the guest kernel it is a
 * hypercall (the hypercall page's stubs), from guest user space it is
 * the guest's own system call, bounced to the callback the kernel
 * registered (CALLBACKTYPE_syscall) after switching the vCPU to kernel
 * mode.
 */
#include <asm/traps.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/current.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>

extern unsigned long syscall_stack_top[];
extern const char syscall_stubs[];

#define SYSCALL_STUB_SIZE 64

void pv_syscall_init_cpu(void)
{
    unsigned int cpu = smp_processor_id();
    unsigned long stub = (unsigned long)syscall_stubs +
                         cpu * SYSCALL_STUB_SIZE;

    syscall_stack_top[cpu] = guest_frame_top(stack_block_of(get_cpu_info()));
    /* SYSCALL: CS/SS from bits 47:32; SYSRET: from bits 63:48 (+16, +8). */
    wrmsr(MSR_STAR, ((uint64_t)FLAT_RING3_CS32 << 48) |
                    ((uint64_t)__HYPERVISOR_CS << 32));
    wrmsr(MSR_LSTAR, stub);
    /* 32-bit user code is not supported: treat it like 64-bit. */
    wrmsr(MSR_CSTAR, stub);
    /* Interrupts stay off until the stub has switched stacks. */
    wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF |
                            X86_EFLAGS_AC | X86_EFLAGS_NT);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* PV guests are told this PAT (pv/emul-priv-op.c): make it true. */
    wrmsr(MSR_PAT, PV_PAT);
}

/* The guest's user space made a system call: on to its kernel. */
static void bounce_to_syscall_callback(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    struct trap_bounce *tb = &v->arch.trap_bounce;

    if ( !v->arch.syscall_callback_eip )
    {
        /* What a CPU does for SYSCALL with EFER.SCE clear: #UD. */
        pv_inject_trap(X86_EXC_UD, false, 0);
        return;
    }
    /* The bounce frame switches to kernel mode and the kernel stack. */
    tb->eip = v->arch.syscall_callback_eip;
    tb->flags = v->arch.syscall_disables_events ? TBF_INTERRUPT : 0;
    tb->error_code = 0;
    tb->pending = true;
    regs->rflags &= ~X86_EFLAGS_DF;
}

void pv_syscall_entry(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;

    local_irq_enable();
    if ( v->arch.flags & TF_kernel_mode )
        pv_hypercall(regs);
    else
        bounce_to_syscall_callback(regs);
}
