/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and vCPUs: creation, the domain list, references, pausing,
 * shutdown and destruction (xen/sched.h has the model).
 */
#include <xen/init.h>
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/flushtlb.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/percpu.h>
#include <xen/pv-console-ring.h>
#include <xen/sched.h>
#include <xen/softirq.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <asm/m2p.h>
#include <asm/page-owner.h>
#include <asm/smp.h>

struct domain *idle_domain;
struct vcpu *idle_vcpu[CONFIG_NR_CPUS];
struct domain *hardware_domain;

/* Every domain but the idle one, by creation order; under domlist_lock. */
static struct domain *domain_list;
static DEFINE_SPINLOCK(domlist_lock);

/*
 * struct domain is a page of its own (page ownership names it by frame),
 * so it comes straight from the xenheap.
 */
static struct domain *alloc_domain_struct(void)
{
    struct domain *d;

    BUILD_BUG_ON(sizeof(struct domain) > PAGE_SIZE);
    d = alloc_xenheap_page();
    if ( d )
    {
        memset(d, 0, PAGE_SIZE);
        d->page_owner_id = page_owner_pickle(d);
    }

    return d;
}

struct domain *domain_create(domid_t id, unsigned int max_vcpus,
                             bool privileged)
{
    struct domain *d, *o;

    if ( !max_vcpus || max_vcpus > CONFIG_NR_CPUS * 4 )
        return NULL;
    if ( id >= DOMID_FIRST_RESERVED && id != DOMID_IDLE )
        return NULL;

    d = alloc_domain_struct();
    if ( !d )
        return NULL;

    d->domain_id = id;
    d->max_vcpus = max_vcpus;
    d->is_privileged = privileged;
    atomic_set(&d->refcnt, 1);
    atomic_set(&d->pause_count, 1);
    spin_lock_init(&d->page_alloc_lock);
    spin_lock_init(&d->shutdown_lock);
    INIT_PAGE_LIST_HEAD(&d->page_list);
    INIT_PAGE_LIST_HEAD(&d->xenpage_list);

    d->vcpu = xzalloc_array(struct vcpu *, max_vcpus);
    if ( !d->vcpu )
        goto fail;

    if ( !is_idle_domain(d) && evtchn_init(d) )
        goto fail;
    if ( !is_idle_domain(d) && grant_table_init(d) )
        goto fail;
    if ( !is_idle_domain(d) && arch_domain_create(d) )
        goto fail;

    if ( is_idle_domain(d) )
        return d;

    spin_lock(&domlist_lock);
    for ( o = domain_list; o; o = o->next_in_list )
        if ( o->domain_id == id )
            break;
    if ( o )
    {
        spin_unlock(&domlist_lock);
        arch_domain_destroy(d);
        goto fail;
    }
    d->next_in_list = domain_list;
    domain_list = d;
    spin_unlock(&domlist_lock);

    return d;

 fail:
    grant_table_destroy(d);
    evtchn_destroy_final(d);
    xfree(d->vcpu);
    free_xenheap_page(d);
    return NULL;
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id, unsigned int cpu)
{
    struct vcpu *v;

    if ( id >= d->max_vcpus || d->vcpu[id] || cpu >= CONFIG_NR_CPUS )
        return NULL;

    v = xzalloc(struct vcpu);
    if ( !v )
        return NULL;

    v->vcpu_id = id;
    v->domain = d;
    v->processor = cpu;
    atomic_set(&v->pause_count, 0);
    INIT_LIST_HEAD(&v->runq_elem);
    /* Guests' vCPUs start down, until built or brought up (vcpu_op up). */
    if ( !is_idle_domain(d) )
        v->pause_flags = VPF_down;

    sched_init_vcpu(v, cpu);
    if ( arch_vcpu_create(v) )
    {
        sched_destroy_vcpu(v);
        xfree(v);
        return NULL;
    }

    d->vcpu[id] = v;
    return v;
}

static void vcpu_destroy(struct vcpu *v)
{
    arch_vcpu_destroy(v);
    sched_destroy_vcpu(v);
    v->domain->vcpu[v->vcpu_id] = NULL;
    xfree(v);
}

void __init idle_domain_init(void)
{
    idle_domain = domain_create(DOMID_IDLE, CONFIG_NR_CPUS, false);
    if ( !idle_domain )
        panic("Cannot create the idle domain");
}

void idle_vcpu_init(unsigned int cpu)
{
    struct vcpu *v = idle_vcpu[cpu];

    if ( !v )
    {
        v = vcpu_create(idle_domain, cpu, cpu);
        if ( !v )
            panic("Cannot create the idle vCPU of CPU%u", cpu);
        idle_vcpu[cpu] = v;
    }
    v->is_running = true;
    v->runstate = RUNSTATE_running;
    this_cpu(curr_vcpu) = v;
    set_current(v);
}

struct domain *get_domain_by_id(domid_t id)
{
    struct domain *d;

    spin_lock(&domlist_lock);
    for ( d = domain_list; d; d = d->next_in_list )
        if ( d->domain_id == id )
            break;
    if ( d && !get_domain(d) )
        d = NULL;
    spin_unlock(&domlist_lock);

    return d;
}

void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg)
{
    struct domain *d;

    spin_lock(&domlist_lock);
    for ( d = domain_list; d; d = d->next_in_list )
        fn(d, arg);
    spin_unlock(&domlist_lock);
}

/*
 * A dying domain takes no new references (the count can only fall to
 * 0 from then on); everyone else gets one unless the count is 0.
 */
bool get_domain(struct domain *d)
{
    int old, seen = atomic_read(&d->refcnt);

    do {
        old = seen;
        if ( old <= 0 || d->is_dying )
            return false;
        seen = cmpxchg(&d->refcnt.counter, old, old + 1);
    } while ( seen != old );

    return true;
}

static void domain_destroy(struct domain *d)
{
    struct domain **pp;
    unsigned int i;

    spin_lock(&domlist_lock);
    for ( pp = &domain_list; *pp; pp = &(*pp)->next_in_list )
        if ( *pp == d )
        {
            *pp = d->next_in_list;
            break;
        }
    spin_unlock(&domlist_lock);

    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_destroy(d->vcpu[i]);
    grant_table_destroy(d);
    arch_domain_destroy(d);
    evtchn_destroy_final(d);
    xfree(d->vcpu);
    if ( hardware_domain == d )
        hardware_domain = NULL;
    free_xenheap_page(d);
}

void put_domain(struct domain *d)
{
    if ( atomic_dec_and_test(&d->refcnt) )
        domain_destroy(d);
}

void vcpu_pause(struct vcpu *v)
{
    ASSERT(v != current);
    atomic_inc(&v->pause_count);
    vcpu_sleep_sync(v);
}

void vcpu_unpause(struct vcpu *v)
{
    if ( atomic_dec_and_test(&v->pause_count) )
        vcpu_wake(v);
}

void domain_pause(struct domain *d)
{
    unsigned int i;

    atomic_inc(&d->pause_count);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] && d->vcpu[i] != current )
            vcpu_sleep_sync(d->vcpu[i]);
}

void domain_unpause(struct domain *d)
{
    unsigned int i;

    if ( !atomic_dec_and_test(&d->pause_count) )
        return;
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_wake(d->vcpu[i]);
}

static int do_assign_pages(struct domain *d, struct page_info *pg,
                           unsigned int order, bool limited)
{
    unsigned long i, n = 1UL << order;

    spin_lock(&d->page_alloc_lock);
    if ( d->is_dying )
    {
        spin_unlock(&d->page_alloc_lock);
        return -EINVAL;
    }
    if ( limited && (d->tot_pages > d->max_pages ||
                     n > d->max_pages - d->tot_pages) )
    {
        spin_unlock(&d->page_alloc_lock);
        return -E2BIG;
    }
    for ( i = 0; i < n; i++ )
    {
        page_set_owner(&pg[i], d);
        pg[i].type_info = 0;
        /* The allocation reference: dropped when the owner gives it up. */
        pg[i].count_info = PGC_allocated | 1;
        page_list_add_tail(&pg[i], &d->page_list);
    }
    d->tot_pages += n;
    spin_unlock(&d->page_alloc_lock);

    return 0;
}

int assign_pages(struct domain *d, struct page_info *pg, unsigned int order)
{
    return do_assign_pages(d, pg, order, false);
}

int assign_pages_limited(struct domain *d, struct page_info *pg,
                         unsigned int order)
{
    return do_assign_pages(d, pg, order, true);
}

void free_domain_page(struct page_info *pg)
{
    struct domain *d = page_get_owner(pg);

    /* A xenheap page shared with a guest goes back with its owner's data. */
    if ( pg->count_info & PGC_xen_heap )
        return;
    if ( d )
    {
        spin_lock(&d->page_alloc_lock);
        page_list_del(pg, &d->page_list);
        d->tot_pages--;
        spin_unlock(&d->page_alloc_lock);
    }
    pg->type_info = 0;
    page_set_owner(pg, NULL);
    set_gpfn_from_mfn(page_to_mfn(pg), M2P_INVALID);
    /*
     * The guest's TLBs may still translate to the frame (its last PTE
     * went only now, the flush is the guest's to ask for): the heap
     * flushes them before anyone else gets it.
     */
    mark_frames_stale(pg, 1);
    free_domheap_page(pg);
}

/*
 * Releases every page the domain owns. Frames a guest still uses as
 * page tables or descriptor pages carry type references the guest can
 * no longer drop: the domain is dead, so they are simply cleared.
 */
static void release_domain_pages(struct domain *d)
{
    struct page_info *pg;

    spin_lock(&d->page_alloc_lock);
    while ( (pg = page_list_first(&d->page_list)) != NULL )
    {
        page_list_del(pg, &d->page_list);
        d->tot_pages--;
        spin_unlock(&d->page_alloc_lock);

        pg->type_info = 0;
        pg->count_info &= ~(PGC_count_mask | PGC_allocated);
        page_set_owner(pg, NULL);
        set_gpfn_from_mfn(page_to_mfn(pg), M2P_INVALID);
        free_domheap_page(pg);

        spin_lock(&d->page_alloc_lock);
    }
    ASSERT(!d->tot_pages);
    spin_unlock(&d->page_alloc_lock);
}

void domain_kill(struct domain *d)
{
    unsigned int i;

    if ( d->is_dying )
        return;
    d->is_dying = true;

    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
        {
            set_bit(_VPF_down, &d->vcpu[i]->pause_flags);
            if ( d->vcpu[i] != current )
                vcpu_sleep_sync(d->vcpu[i]);
        }

    /* Peers stop delivering into d before its vcpu_info pages go. */
    evtchn_destroy(d);
    pv_console_ring_release(d);
    /* Its grant mappings hold references its page tables no longer will. */
    grant_table_release_mappings(d);
    /* Others' mappings of its frames must go before the frames do. */
    grant_table_revoke_foreign_maps(d);
    arch_domain_teardown(d);
    release_domain_pages(d);
    send_global_virq(hardware_domain, VIRQ_DOM_EXC);
    put_domain(d);
}
