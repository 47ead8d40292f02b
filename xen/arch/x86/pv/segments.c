/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PV vCPU's segment selectors and debug registers: loaded and saved
 * around a context switch, and the selector a guest asks to load into
 * its user GS.
 *
 * A selector load checks the descriptor it names and faults on a bad
 * one; a guest can leave such a selector behind (its GDT changed under
 * it), so every load here has an exception fixup that falls back to
 * the null selector instead of taking the hypervisor down.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/extable.h>
#include <asm/pv.h>

/* Loads sel into a segment register; false (and null loaded) on a fault. */
#define LOAD_SEG(seg, sel) ({                                              \
    bool ok_ = true;                                                       \
    __asm__ __volatile__ (                                                 \
        "1:  mov %k1, %%" #seg "\n"                                        \
        "2:\n"                                                             \
        "    .pushsection .text.fixup, \"ax\"\n"                                \
        "3:  xor %k1, %k1\n"                                               \
        "    mov %k1, %%" #seg "\n"                                        \
        "    movb $0, %0\n"                                                \
        "    jmp 2b\n"                                                     \
        "    .popsection\n"                                                \
        _ASM_EXTABLE(1b, 3b)                                               \
        : "+m" (ok_) : "r" ((unsigned int)(sel)) : "memory" );             \
    ok_;                                                                   \
})

/*
 * A selector that no longer loads (the guest changed its descriptors
 * under it) is replaced by null and the guest told through its failsafe
 * callback, whose frame carries the four selectors it had (a->ds..gs are
 * left as they were for it), as in Xen; no failsafe callback: the domain
 * is crashed, since it would run on with segments it did not ask for.
 */
void load_guest_selectors(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;
    bool ok = LOAD_SEG(ds, a->ds);

    ok &= LOAD_SEG(es, a->es);
    ok &= LOAD_SEG(fs, a->fs);
    ok &= LOAD_SEG(gs, a->gs);
    if ( ok )
        return;

    if ( !a->failsafe_callback_eip )
    {
        printk(XENLOG_WARNING "d%uv%u: a segment selector no longer loads "
               "and there is no failsafe callback\n", v->domain->domain_id,
               v->vcpu_id);
        domain_crash(v->domain);
        return;
    }
    a->trap_bounce.eip = a->failsafe_callback_eip;
    a->trap_bounce.flags = TBF_FAILSAFE |
                           (a->failsafe_disables_events ? TBF_INTERRUPT : 0);
    a->trap_bounce.error_code = 0;
    a->trap_bounce.pending = true;
}

bool load_user_gs_selector(unsigned long sel)
{
    bool ok;

    /* The user's GS is the inactive one while the kernel runs. */
    __asm__ __volatile__ ( "swapgs" ::: "memory" );
    ok = LOAD_SEG(gs, sel);
    __asm__ __volatile__ ( "swapgs" ::: "memory" );

    return ok;
}

#define DR_READ(n, v)  __asm__ __volatile__ ( "mov %%db" #n ", %0" : "=r" (v) )
#define DR_WRITE(n, v) __asm__ __volatile__ ( "mov %0, %%db" #n :: "r" (v) )

void save_debug_registers(struct vcpu *v)
{
    unsigned long *dr = v->arch.debugreg;

    DR_READ(6, dr[6]);
}

void load_debug_registers(struct vcpu *v)
{
    const unsigned long *dr = v->arch.debugreg;

    /* Cheap in the common case: a guest that never used them. */
    if ( !dr[7] )
    {
        unsigned long dr7;

        DR_READ(7, dr7);
        if ( dr7 & 0xff )
            DR_WRITE(7, 0UL);
        return;
    }
    DR_WRITE(0, dr[0]);
    DR_WRITE(1, dr[1]);
    DR_WRITE(2, dr[2]);
    DR_WRITE(3, dr[3]);
    DR_WRITE(6, dr[6]);
    DR_WRITE(7, dr[7]);
}
