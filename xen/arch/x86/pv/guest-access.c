/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copies to and from a PV guest's virtual addresses (asm/guest_access.h
 * has the contract).
 *
 * Two ways to one result. The fast one uses the guest's address as it
 * is: during a hypercall the vCPU's own tables are loaded, so the CPU's
 * walk is the one the guest would get, and a fault ends at a fixup.
 * The slow one walks the vCPU's active tables in software, one mapcache
 * slot per level, then one for the page. A fault on the fast path hands
 * the rest of the copy to the slow path, which alone decides: a fault
 * may only mean a stale TLB entry (an entry made writable without a
 * flush), which the walk does not see. So every outcome is the walk's,
 * and the common case costs no mapping at all, with or without a
 * direct map.
 *
 * The slow path holds what it walks (get_guest_frame()): each table as
 * a validated table while its entry is read, the page for as long as it
 * is copied, as a writable page for a write. Another vCPU changing the
 * tables meanwhile makes the copy fail or go where the guest's tables
 * said at some instant, never into a frame that was freed or retyped.
 */
#include <xen/domain_page.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/extable.h>
#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/page-owner.h>
#include <asm/pv.h>
#include <asm/pv-mm.h>

/* Drops what get_guest_frame() took. */
static void put_guest_frame(struct page_info *pg, bool write)
{
    if ( write )
        put_page_type(pg);
    put_page(pg);
}

/*
 * The frame behind va for v, as the guest could reach it, referenced
 * (and of writable type, if write) until put_guest_frame(); or NULL.
 *
 * Each table of the walk is held as a validated table of its level
 * while its entry is read, and the entry is read again once the frame
 * it names is held: a table unhooked and freed by another vCPU
 * meanwhile (and reused, with contents of the guest's choosing) is
 * never followed, and the frame returned is the one the entry names
 * with it held. A write never lands in a page table, a descriptor page
 * or a free frame, whatever the guest's other vCPUs do.
 */
static struct page_info *get_guest_frame(const struct vcpu *v,
                                         unsigned long va, bool write)
{
    static const unsigned int shift[] = { 0, PAGE_SHIFT, L2_PAGE_SHIFT,
                                          L3_PAGE_SHIFT, L4_PAGE_SHIFT };
    struct domain *d = v->domain;
    mfn_t mfn = pv_active_root(v);
    struct page_info *table, *next = NULL;
    unsigned int level;

    if ( !is_canonical_address(va) ||
         (va >= HYPERVISOR_VIRT_START && va < HYPERVISOR_VIRT_END) ||
         mfn_eq(mfn, INVALID_MFN) )
        return NULL;
    table = mfn_to_page(mfn);
    if ( !get_page(table, d) )
        return NULL;
    if ( get_table_type_ref(table) != 4 )
    {
        put_page(table);
        return NULL;
    }

    for ( level = 4; level >= 1; level-- )
    {
        const pgentry_t *t = map_domain_page(mfn);
        const pgentry_t *slot = &t[(va >> shift[level]) & 511];
        pgentry_t e = read_atomic(slot);
        struct domain *owner;
        bool held = false;

        next = NULL;
        mfn = maddr_to_mfn(e & PTE_ADDR_MASK);
        /* PV guests get no superpages (validation refuses PSE). */
        if ( (e & _PAGE_PRESENT) && (e & _PAGE_USER) &&
             (!write || (e & _PAGE_RW)) && (level == 1 || !(e & _PAGE_PSE)) &&
             mfn_valid(mfn) )
        {
            next = mfn_to_page(mfn);
            if ( level > 1 )
            {
                held = get_page(next, d);
                if ( held && get_table_type_ref(next) != level - 1 )
                {
                    put_page(next);
                    held = false;
                }
            }
            else
            {
                /* A frame of another domain: a grant or dom0's mapping. */
                owner = page_get_owner(next);
                held = owner && get_page(next, owner);
                if ( held && write && get_page_type(next, PGT_writable_page) )
                {
                    put_page(next);
                    held = false;
                }
            }
            /* Held as what the entry said, if the entry still says it. */
            if ( held && read_atomic(slot) != e )
            {
                if ( level > 1 )
                    put_page_and_type(next);
                else
                    put_guest_frame(next, write);
                held = false;
            }
        }
        unmap_domain_page(t);
        put_page_and_type(table);
        /* dom0 may map I/O frames: never reached through this walk. */
        if ( !held )
            return NULL;
        table = next;
    }

    return next;
}

mfn_t guest_va_to_mfn(const struct vcpu *v, unsigned long va, bool write)
{
    struct page_info *pg = get_guest_frame(v, va, write);

    if ( !pg )
        return INVALID_MFN;
    put_guest_frame(pg, write);

    return page_to_mfn(pg);
}

/* Calls fn on each page-sized piece of [va, va + len); bytes left. */
static unsigned long for_each_guest_piece(unsigned long va, unsigned long len,
                                          bool write,
                                          void (*fn)(void *p, size_t n,
                                                     void *arg),
                                          void *arg)
{
    const struct vcpu *v = current;

    if ( va + len < va )
        return len;

    while ( len )
    {
        unsigned long off = va & ~PAGE_MASK;
        unsigned long n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
        struct page_info *pg = get_guest_frame(v, va, write);
        char *p;

        if ( !pg )
            return len;
        p = map_domain_page(page_to_mfn(pg));
        fn(p + off, n, arg);
        unmap_domain_page(p);
        put_guest_frame(pg, write);
        va += n;
        len -= n;
    }

    return 0;
}

static void piece_from(void *p, size_t n, void *arg)
{
    char **dst = arg;

    memcpy(*dst, p, n);
    *dst += n;
}

static void piece_to(void *p, size_t n, void *arg)
{
    const char **src = arg;

    memcpy(p, *src, n);
    *src += n;
}

static void piece_clear(void *p, size_t n, void *arg)
{
    memset(p, 0, n);
}

/*
 * Whether [va, va + len) lies wholly in the guest's part of one half of
 * the address space: then no byte of it can be the hypervisor's.
 */
static bool guest_range_ok(unsigned long va, unsigned long len)
{
    unsigned long last = va + len - 1;

    if ( !len )
        return true;
    if ( last < va )
        return false;
    if ( last < (1UL << 47) )
        return true;

    return va >= HYPERVISOR_VIRT_END;
}

/*
 * guest_copy_walk: every copy takes the slow path, a testing aid (the
 * PV test kernel and Linux then run on the walk alone, which otherwise
 * only finishes copies that faulted).
 */
static bool opt_guest_copy_walk;
boolean_param("guest_copy_walk", opt_guest_copy_walk);

/* Whether the CPU runs on the tables the slow path would walk. */
static bool guest_tables_loaded(void)
{
    mfn_t root = pv_active_root(current);

    return !opt_guest_copy_walk && !mfn_eq(root, INVALID_MFN) &&
           (read_cr3() & PTE_ADDR_MASK) == mfn_to_maddr(root);
}

bool guest_linear_entry(mfn_t root, unsigned long va, unsigned int level,
                        pgentry_t *e)
{
    unsigned long addr = LINEAR_PT_VIRT_START, off = va & ((1UL << 48) - 1);
    unsigned int l;
    bool fault = false;

    ASSERT(level >= 1 && level <= 4);
    if ( mfn_eq(root, INVALID_MFN) ||
         (read_cr3() & PTE_ADDR_MASK) != mfn_to_maddr(root) )
        return false;
    /* Each level up goes once more through the slot to the L4 itself. */
    for ( l = 1; l < level; l++ )
        addr += (unsigned long)LINEAR_PT_SLOT << (39 - 9 * l);
    addr += (off >> (PAGE_SHIFT + 9 * (level - 1))) * sizeof(pgentry_t);

    asm volatile ( "1: mov (%2), %0\n"
                   "2:\n"
                   "    .pushsection .text.fixup, \"ax\"\n"
                   "3:  movb $1, %1\n"
                   "    jmp 2b\n"
                   "    .popsection\n"
                   _ASM_EXTABLE(1b, 3b)
                   : "=r" (*e), "+qm" (fault)
                   : "r" (addr) );
    if ( fault )
        *e = 0;

    return true;
}

/* Bytes not copied: what rep movsb had left when it faulted. */
static unsigned long copy_guarded(void *to, const void *from,
                                  unsigned long n)
{
    asm volatile ( "1: rep movsb\n"
                   "2:\n"
                   _ASM_EXTABLE(1b, 2b)
                   : "+c" (n), "+D" (to), "+S" (from)
                   :
                   : "memory" );

    return n;
}

static unsigned long clear_guarded(void *to, unsigned long n)
{
    asm volatile ( "1: rep stosb\n"
                   "2:\n"
                   _ASM_EXTABLE(1b, 2b)
                   : "+c" (n), "+D" (to)
                   : "a" (0)
                   : "memory" );

    return n;
}

unsigned long copy_from_guest_va(void *dst, unsigned long src,
                                 unsigned long len)
{
    unsigned long left = len;
    char *d;

    if ( !guest_range_ok(src, len) )
        return len;
    if ( guest_tables_loaded() )
        left = copy_guarded(dst, (const void *)src, len);
    d = (char *)dst + (len - left);

    return left ? for_each_guest_piece(src + (len - left), left, false,
                                       piece_from, &d)
                : 0;
}

unsigned long copy_to_guest_va(unsigned long dst, const void *src,
                               unsigned long len)
{
    unsigned long left = len;
    const char *s;

    if ( !guest_range_ok(dst, len) )
        return len;
    if ( guest_tables_loaded() )
        left = copy_guarded((void *)dst, src, len);
    s = (const char *)src + (len - left);

    return left ? for_each_guest_piece(dst + (len - left), left, true,
                                       piece_to, &s)
                : 0;
}

unsigned long clear_guest_va(unsigned long dst, unsigned long len)
{
    unsigned long left = len;

    if ( !guest_range_ok(dst, len) )
        return len;
    if ( guest_tables_loaded() )
        left = clear_guarded((void *)dst, len);

    return left ? for_each_guest_piece(dst + (len - left), left, true,
                                       piece_clear, NULL)
                : 0;
}
