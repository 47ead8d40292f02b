/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86 domains and vCPUs: what a PV domain needs beyond the common
 * structures (per-domain area, shared_info, GDT mappings, FPU area,
 * trap table), and the context switch.
 *
 * The context switch is Xen's model: one hypervisor stack per CPU, and
 * a vCPU's state in its struct vcpu while it does not run. Switching
 * saves prev's registers from the CPU's guest frame and its hardware
 * state, loads next's, then resets the stack and jumps to where next
 * continues (the guest exit path, or the idle loop), so nothing on the
 * hypervisor stack survives a switch. That is also why no mapcache slot
 * may be held across one: debug builds check that none is.
 */
#include <xen/init.h>
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <asm/desc.h>
#include <asm/dom0_build.h>
#include <asm/guest_access.h>
#include <asm/i387.h>
#include <asm/page-owner.h>
#include <asm/pg2virt.h>
#include <asm/perdomain.h>
#include <asm/physdev.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/system.h>
#include <asm/traps.h>
#include <public/xen.h>

DEFINE_PER_CPU(struct vcpu *, curr_vcpu);

extern pgentry_t idle_pg_table[];

/* A zeroed, read-only frame: what unused guest GDT pages map. */
static mfn_t zero_mfn;

void __init arch_domain_init(void)
{
    struct page_info *pg = alloc_domheap_page(0);

    if ( !pg )
        panic("No memory for the zero page");
    zero_mfn = page_to_mfn(pg); /* the heap zeroes what it hands out */
}

mfn_t pv_zero_mfn(void)
{
    return zero_mfn;
}

/*
 * A xenheap page becomes readable and mappable by d (shared_info, grant
 * frames). The hypervisor keeps writing it, so it holds a writable type
 * reference of its own for as long as it is shared: with the guest's
 * mappings gone the type stays, and the page can never be validated as
 * a page table or descriptor page (the guest would then choose PTEs by
 * sending itself events).
 */
void share_xen_page_with_guest(void *va, struct domain *d)
{
    struct page_info *pg = virt_to_page(va);

    ASSERT(!(pg->type_info & PGT_count_mask));
    pg->type_info = PGT_writable_page | PGT_validated | 1;
    page_set_owner(pg, d);
    page_set_flag(pg, PGC_allocated);
    arch_fetch_and_add(&pg->count_info, 1);
    spin_lock(&d->page_alloc_lock);
    page_list_add_tail(pg, &d->xenpage_list);
    spin_unlock(&d->page_alloc_lock);
}

/*
 * At destruction: d's page tables were released by brute force
 * (domain_kill() clears its frames' counts without walking them), so
 * the references and writable type its mappings of the page took are
 * still counted here. The guest is gone; they go with it.
 */
void unshare_xen_page(void *va, struct domain *d)
{
    struct page_info *pg = virt_to_page(va);

    spin_lock(&d->page_alloc_lock);
    page_list_del(pg, &d->xenpage_list);
    spin_unlock(&d->page_alloc_lock);
    pg->type_info = 0;
    pg->count_info &= ~(PGC_count_mask | PGC_allocated);
    page_set_owner(pg, NULL);
}

int arch_domain_create(struct domain *d)
{
    unsigned int i;

    if ( perdomain_init(d) )
        return -ENOMEM;
    if ( physdev_domain_init(d) )
    {
        perdomain_teardown(d);
        return -ENOMEM;
    }

    d->shared_info = alloc_xenheap_page();
    if ( !d->shared_info )
    {
        physdev_domain_destroy(d);
        perdomain_teardown(d);
        return -ENOMEM;
    }
    memset(d->shared_info, 0, PAGE_SIZE);
    /* Every vCPU slot starts with events masked, made or not. */
    for ( i = 0; i < XEN_LEGACY_MAX_VCPUS; i++ )
        d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
    share_xen_page_with_guest(d->shared_info, d);

    return 0;
}

void arch_domain_teardown(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
        {
            pv_release_gdt(d->vcpu[i]);
            pv_release_vcpu_info(d->vcpu[i]);
            pv_vcpu_release_tables(d->vcpu[i]);
        }
    pv_drop_foreign_refs(d);
    physdev_domain_teardown(d);
}

void arch_domain_destroy(struct domain *d)
{
    if ( d->shared_info )
    {
        unshare_xen_page(d->shared_info, d);
        free_xenheap_page(d->shared_info);
        d->shared_info = NULL;
    }
    physdev_domain_destroy(d);
    perdomain_teardown(d);
}

/* Maps this CPU's descriptor page as page 14 of v's GDT. */
static void map_gdt_reserved_page(struct vcpu *v, unsigned int cpu)
{
    perdomain_set_l1e(v->arch.gdt_l1,
                      GDT_VIRT(v->vcpu_id) + (FIRST_RESERVED_GDT_PAGE << PAGE_SHIFT),
                      __pa(cpu_gdt_page[cpu]) | PAGE_HYPERVISOR_RW);
    v->arch.gdt_cpu = cpu;
}

static int vcpu_gdt_init(struct vcpu *v)
{
    unsigned long va = GDT_VIRT(v->vcpu_id);
    unsigned int i;

    v->arch.gdt_l1 = perdomain_l1(v->domain, va);
    if ( mfn_eq(v->arch.gdt_l1, INVALID_MFN) )
        return -ENOMEM;
    for ( i = 0; i < GDT_GUEST_PAGES; i++ )
        perdomain_set_l1e(v->arch.gdt_l1, va + (i << PAGE_SHIFT),
                          mfn_to_maddr(zero_mfn) | PAGE_HYPERVISOR_RO);
    map_gdt_reserved_page(v, v->processor);

    return 0;
}

int arch_vcpu_create(struct vcpu *v)
{
    struct domain *d = v->domain;

    if ( is_idle_domain(d) )
        return 0;

    v->arch.dirty_cpu = CONFIG_NR_CPUS;
    v->arch.guest_table = INVALID_MFN;
    v->arch.guest_table_user = INVALID_MFN;
    v->arch.flags = TF_kernel_mode;
    /* What a PV kernel sees: the host's CR4 without XSAVE until it asks. */
    v->arch.guest_cr4 = read_cr4() & ~X86_CR4_OSXSAVE;
    v->arch.xcr0 = xcr0_host;
    v->arch.trap_ctxt = xzalloc_array(struct pv_trap, X86_NR_VECTORS);
    if ( !v->arch.trap_ctxt || vcpu_fpu_init(v) || vcpu_gdt_init(v) )
    {
        arch_vcpu_destroy(v);
        return -ENOMEM;
    }
    if ( v->vcpu_id < XEN_LEGACY_MAX_VCPUS )
    {
        v->vcpu_info = &d->shared_info->vcpu_info[v->vcpu_id];
        v->vcpu_info->evtchn_upcall_mask = 1;
    }

    return 0;
}

void arch_vcpu_destroy(struct vcpu *v)
{
    xfree(v->arch.trap_ctxt);
    v->arch.trap_ctxt = NULL;
    vcpu_fpu_destroy(v);
}

/* --- the switch ---------------------------------------------------------- */

static inline unsigned int read_sreg(unsigned int n)
{
    unsigned int sel;

    switch ( n )
    {
    case 0: __asm__ __volatile__ ( "mov %%ds, %0" : "=r" (sel) ); break;
    case 1: __asm__ __volatile__ ( "mov %%es, %0" : "=r" (sel) ); break;
    case 2: __asm__ __volatile__ ( "mov %%fs, %0" : "=r" (sel) ); break;
    default: __asm__ __volatile__ ( "mov %%gs, %0" : "=r" (sel) ); break;
    }
    return sel & 0xffff;
}

static void save_pv_state(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    memcpy(&a->user_regs, guest_cpu_user_regs(), sizeof(a->user_regs));
    a->ds = read_sreg(0);
    a->es = read_sreg(1);
    a->fs = read_sreg(2);
    a->gs = read_sreg(3);
    a->fs_base = rdmsr(MSR_FS_BASE);
    if ( a->flags & TF_kernel_mode )
    {
        a->gs_base_kernel = rdmsr(MSR_GS_BASE);
        a->gs_base_user = rdmsr(MSR_SHADOW_GS_BASE);
    }
    else
    {
        a->gs_base_user = rdmsr(MSR_GS_BASE);
        a->gs_base_kernel = rdmsr(MSR_SHADOW_GS_BASE);
    }
    fpu_save(v);
    if ( a->debugreg[7] )
        save_debug_registers(v);
}

static void load_pv_state(struct vcpu *v, unsigned int cpu)
{
    struct arch_vcpu *a = &v->arch;

    if ( a->gdt_cpu != cpu )
        map_gdt_reserved_page(v, cpu);
    /*
     * This CR3 load is the whole flush of a switch between domains (two
     * Linux guests both use _PAGE_GLOBAL): guests' global bits are
     * stripped (pv/mm.c), and global pages must stay off for that.
     */
    ASSERT(!(read_cr4() & X86_CR4_PGE));
    write_cr3(mfn_to_maddr(pv_active_root(v)));
    load_gdt(GDT_VIRT(v->vcpu_id));

    /* The LDT before the selectors, which may name it. */
    pv_load_ldt(v);
    /* Selectors first: loading one resets the hidden base. */
    load_guest_selectors(v);
    wrmsr(MSR_FS_BASE, a->fs_base);
    if ( a->flags & TF_kernel_mode )
    {
        wrmsr(MSR_GS_BASE, a->gs_base_kernel);
        wrmsr(MSR_SHADOW_GS_BASE, a->gs_base_user);
    }
    else
    {
        wrmsr(MSR_GS_BASE, a->gs_base_user);
        wrmsr(MSR_SHADOW_GS_BASE, a->gs_base_kernel);
    }
    if ( v->arch.xcr0 && v->arch.xcr0 != xgetbv(0) )
        xsetbv(0, v->arch.xcr0);
    fpu_restore(v);
    load_debug_registers(v);
    pv_update_vcpu_time(v);
    pv_time_refresh_start();
    memcpy(guest_cpu_user_regs(), &a->user_regs, sizeof(a->user_regs));
}

/*
 * The runstate area a vCPU registered, brought up to date: written
 * while that vCPU's page tables are loaded (current is it), as the
 * guest address means something only there. With the update-flag
 * assist the guest sees XEN_RUNSTATE_UPDATE while the copy is torn.
 */
void update_runstate_area(struct vcpu *v)
{
    struct vcpu_runstate_info ri = {
        .state = v->runstate,
        .state_entry_time = v->runstate_entry,
    };
    unsigned long va = v->arch.runstate_guest;
    bool flag = test_bit(VMASST_TYPE_runstate_update_flag,
                         &v->domain->arch.vm_assist);
    unsigned int i;

    if ( !va )
        return;
    for ( i = 0; i < 4; i++ )
        ri.time[i] = v->runstate_time[i];
    if ( flag )
    {
        uint64_t t = ri.state_entry_time | XEN_RUNSTATE_UPDATE;

        copy_to_guest_va(va + offsetof(struct vcpu_runstate_info,
                                       state_entry_time), &t, sizeof(t));
        smp_wmb();
    }
    copy_to_guest_va(va, &ri, sizeof(ri));
    if ( flag )
    {
        smp_wmb();
        copy_to_guest_va(va + offsetof(struct vcpu_runstate_info,
                                       state_entry_time),
                         &ri.state_entry_time, sizeof(ri.state_entry_time));
    }
}

extern void pv_resume_guest(void);

void context_switch(struct vcpu *prev, struct vcpu *next)
{
    unsigned int cpu = smp_processor_id();

    ASSERT(!local_irq_is_enabled());
    if ( IS_ENABLED(CONFIG_DEBUG) && mapcache_slots_in_use() )
        panic("CPU%u: %u mapcache slot(s) held across a context switch",
              cpu, mapcache_slots_in_use());

    if ( !is_idle_vcpu(prev) )
    {
        update_runstate_area(prev);
        save_pv_state(prev);
        /* Off the guest's GDT before its page tables go. */
        load_hypervisor_gdt();
    }

    this_cpu(curr_vcpu) = next;
    set_current(next);

    if ( is_idle_vcpu(next) )
        write_cr3(__pa_image(idle_pg_table));
    else
    {
        /* Seen by flushers before the CR3 load lets the TLB fill. */
        write_atomic(&next->arch.dirty_cpu, cpu);
        smp_mb();
        load_pv_state(next, cpu);
        update_runstate_area(next);
    }
    if ( !is_idle_vcpu(prev) && prev != next )
        cmpxchg(&prev->arch.dirty_cpu, cpu, CONFIG_NR_CPUS);

    sched_context_saved(prev);

    if ( is_idle_vcpu(next) )
        __asm__ __volatile__ ( "mov %0, %%rsp; xor %%ebp, %%ebp; push $0;"
                               "jmp idle_loop"
                               :: "r" (guest_cpu_user_regs()) : "memory" );
    else
        __asm__ __volatile__ ( "mov %0, %%rsp; xor %%ebp, %%ebp;"
                               "jmp pv_resume_guest"
                               :: "r" (guest_cpu_user_regs()) : "memory" );
    __builtin_unreachable();
}
