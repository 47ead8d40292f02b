/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Builds a 64-bit PV domain from a boot module (an ELF kernel with Xen
 * notes, or a bzImage wrapping one) and its initrd, if any, laid out
 * as Xen lays it out, so that a kernel built for Xen boots unchanged.
 * dom0 and the boot-time domUs (xen/domu.h) are built the same way; only
 * the privilege, the memory size and where the modules come from differ.
 *
 * A domain's pseudo-physical frames 0..nr_pages-1 are heap frames, in 1 GiB
 * or 2 MiB blocks where the heap has them. One virtual region starting at
 * VIRT_BASE maps pfn n at VIRT_BASE + n * 4 KiB, 4 KiB pages only:
 *
 *   kernel [virt_kstart, virt_kend)
 *   initrd            (unless the kernel asks for MOD_START_PFN)
 *   p2m list          8 bytes per pfn (unless INIT_P2M puts it elsewhere)
 *   start_info        one page
 *   console ring      one page, a domU's only (xen/pv-console-ring.h)
 *   page tables       L4, L3s, L2s, L1s of this region, read-only
 *   boot stack        one page; RSP starts at its top
 *   padding           at least 512 KiB, the region ends 4 MiB aligned
 *
 * Everything is written through map_domain_page(): nothing here needs a
 * direct map. The tables are typed and the L4 pinned as the guest's
 * own would be; the builder trusts what it made rather than validating
 * it.
 */
#include <asm/processor.h>
#include <xen/xmalloc.h>
#include <xen/bzimage.h>
#include <xen/decompress.h>
#include <xen/domain_page.h>
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/libelf.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/pv-console-ring.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/vmap.h>
#include <asm/bootinfo.h>
#include <asm/dom0_build.h>
#include <asm/l4-slots.h>
#include <asm/m2p.h>
#include <asm/page-owner.h>
#include <asm/pv-mm.h>
#include <asm/pv.h>
#include <public/xen.h>

#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
/* dom0's page-table entries: the kernel runs in ring 3, hence USER. */
#define L1_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | \
                 _PAGE_USER)
#define LN_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | \
                 _PAGE_USER)

struct dom0_layout {
    unsigned long v_start, v_end;          /* the bootstrap region */
    unsigned long kern_start, kern_end;
    unsigned long initrd_start, initrd_end;/* 0 when not mapped */
    unsigned long si_start;                /* start_info */
    unsigned long cons_start;              /* console ring; 0: none */
    unsigned long p2m_start, p2m_end;      /* in the region, or INIT_P2M */
    unsigned long pt_start, pt_end;
    unsigned long stack_start;
    unsigned long nr_pt_frames;
    unsigned long nr_pages;
    /*
     * INIT_P2M: the p2m lives at p2m_start outside the region, in the
     * frames from p2m_pfn on (p2m_pages of list, then p2m_tables of the
     * page tables that map it); otherwise p2m_pfn is its place in the
     * region and p2m_tables 0.
     */
    bool p2m_outside;
    unsigned long p2m_pfn, p2m_pages, p2m_tables;
};

struct dom0_ctx {
    struct domain *d;
    const struct dom0_layout *l;
    mfn_t *p2m;                            /* pfn -> mfn, in hypervisor memory */
};

/* ---------------------------------------------------------------------
 * dom0_mem=
 */

static unsigned long dom0_mem_size, dom0_mem_min, dom0_mem_max = ~0UL;
static bool dom0_mem_size_neg;

/*
 * Xen's syntax: a comma-separated list of "<size>", "-<size>" (all but),
 * "min:<size>" and "max:<size>". Sizes take K, M, G or T.
 */
static int parse_dom0_mem(const char *s)
{
    while ( *s )
    {
        const char *end;
        unsigned long *dst = &dom0_mem_size;
        bool neg = false;

        if ( !strncmp(s, "min:", 4) )
        {
            dst = &dom0_mem_min;
            s += 4;
        }
        else if ( !strncmp(s, "max:", 4) )
        {
            dst = &dom0_mem_max;
            s += 4;
        }
        else if ( *s == '-' )
        {
            neg = true;
            s++;
        }
        *dst = parse_size_and_unit(s, &end);
        if ( end == s || (*end && *end != ',') )
            return -EINVAL;
        if ( dst == &dom0_mem_size )
            dom0_mem_size_neg = neg;
        s = *end ? end + 1 : end;
    }
    return 0;
}
custom_param("dom0_mem", parse_dom0_mem);

/* What the hypervisor keeps for itself by default: 1/16, 64 MiB at least. */
static unsigned long hypervisor_reserve(unsigned long avail)
{
    unsigned long r = avail / 16;

    return r < (MB(64) >> PAGE_SHIFT) ? MB(64) >> PAGE_SHIFT : r;
}

unsigned long __init dom0_min_pages(void)
{
    unsigned long floor = dom0_mem_min >> PAGE_SHIFT;

    if ( dom0_mem_size && !dom0_mem_size_neg )
        floor = dom0_mem_size >> PAGE_SHIFT;

    return floor < (MB(64) >> PAGE_SHIFT) ? MB(64) >> PAGE_SHIFT : floor;
}

unsigned long __init guest_pages_available(void)
{
    unsigned long avail = avail_domheap_pages();
    unsigned long reserve = hypervisor_reserve(avail);

    return avail > reserve ? avail - reserve : 0;
}

/* dom0's size; kept: pages the domUs will take after it is built. */
static unsigned long dom0_pages(unsigned long kept)
{
    unsigned long avail = avail_domheap_pages();
    unsigned long reserve = hypervisor_reserve(avail);
    unsigned long want, max_ok = avail > reserve ? avail - reserve : 0;

    avail = avail > kept ? avail - kept : 0;
    max_ok = max_ok > kept ? max_ok - kept : 0;

    if ( !dom0_mem_size )
        want = max_ok;
    else if ( dom0_mem_size_neg )
        want = avail > (dom0_mem_size >> PAGE_SHIFT)
               ? avail - (dom0_mem_size >> PAGE_SHIFT) : 0;
    else
        want = dom0_mem_size >> PAGE_SHIFT;

    if ( want < (dom0_mem_min >> PAGE_SHIFT) )
        want = dom0_mem_min >> PAGE_SHIFT;
    if ( want > (dom0_mem_max >> PAGE_SHIFT) )
        want = dom0_mem_max >> PAGE_SHIFT;
    if ( want > max_ok )
    {
        printk("dom0_mem: %lu MiB asked, only %lu MiB available: clamped\n",
               want >> (20 - PAGE_SHIFT), max_ok >> (20 - PAGE_SHIFT));
        want = max_ok;
    }

    return want;
}

/* ---------------------------------------------------------------------
 * Frames
 */

/* Gives d nr_pages frames, pfn order, in the largest blocks the heap has. */
static int allocate_memory(struct domain *d, mfn_t *p2m, unsigned long nr)
{
    unsigned long pfn = 0;
    unsigned int order = MAX_ORDER; /* 1 GiB blocks first, then smaller */

    while ( pfn < nr )
    {
        struct page_info *pg;
        unsigned long i, n;

        while ( (1UL << order) > nr - pfn )
            order--;
        pg = alloc_domheap_pages(order, 0);
        if ( !pg )
        {
            if ( !order )
                return -ENOMEM;
            order--;
            continue;
        }
        n = 1UL << order;
        if ( assign_pages(d, pg, order) )
            return -EINVAL;
        for ( i = 0; i < n; i++, pfn++ )
        {
            p2m[pfn] = page_to_mfn(pg + i);
            set_gpfn_from_mfn(p2m[pfn], pfn);
        }
    }
    /*
     * The allowance reservation hypercalls may grow dom0 to: max: of
     * dom0_mem=, or no limit but 32 bits' worth, as Xen sets it.
     */
    d->max_pages = dom0_mem_max >> PAGE_SHIFT;
    if ( d->max_pages > 0xffffffffUL )
        d->max_pages = 0xffffffffUL;

    return 0;
}

static int write_guest(void *c, uint64_t va, const void *src, size_t len)
{
    const struct dom0_ctx *ctx = c;

    while ( len )
    {
        unsigned long pfn = (va - ctx->l->v_start) >> PAGE_SHIFT;
        unsigned long off = va & ~PAGE_MASK;
        size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
        char *p;

        if ( va < ctx->l->v_start || pfn >= ctx->l->nr_pages )
            return -EFAULT;
        p = map_domain_page(ctx->p2m[pfn]);
        if ( src )
        {
            memcpy(p + off, src, n);
            src = (const char *)src + n;
        }
        else
            memset(p + off, 0, n);
        unmap_domain_page(p);
        va += n;
        len -= n;
    }

    return 0;
}

static int clear_guest(void *c, uint64_t va, size_t len)
{
    return write_guest(c, va, NULL, len);
}

/* ---------------------------------------------------------------------
 * Layout and page tables
 */

/* Tables needed to map [s, e) with 4 KiB pages: L4 + L3s + L2s + L1s. */
static unsigned long tables_for(unsigned long s, unsigned long e)
{
    unsigned long n = 1;

    n += ((e - 1) >> L4_PAGE_SHIFT) - (s >> L4_PAGE_SHIFT) + 1;
    n += ((e - 1) >> L3_PAGE_SHIFT) - (s >> L3_PAGE_SHIFT) + 1;
    n += ((e - 1) >> L2_PAGE_SHIFT) - (s >> L2_PAGE_SHIFT) + 1;

    return n;
}

static int compute_layout(struct dom0_layout *l, const struct elf_dom_parms *p,
                          unsigned long initrd_len, unsigned long nr_pages,
                          bool console_ring)
{
    unsigned long v, p2m_bytes = ROUNDUP(nr_pages * sizeof(unsigned long),
                                         PAGE_SIZE);
    unsigned long used;

    memset(l, 0, sizeof(*l));
    l->nr_pages = nr_pages;
    l->v_start = p->virt_base;
    l->kern_start = p->virt_kstart;
    l->kern_end = ROUNDUP(p->virt_kend, PAGE_SIZE);
    v = l->kern_end;
    if ( initrd_len && !p->mod_start_pfn )
    {
        l->initrd_start = v;
        l->initrd_end = v = ROUNDUP(v + initrd_len, PAGE_SIZE);
    }
    l->p2m_outside = elf_note_present(p, XEN_ELFNOTE_INIT_P2M);
    if ( l->p2m_outside )
    {
        l->p2m_start = p->p2m_base;
        l->p2m_end = p->p2m_base + p2m_bytes;
    }
    else
    {
        l->p2m_start = v;
        l->p2m_end = v = v + p2m_bytes;
    }
    l->si_start = v;
    v += PAGE_SIZE;
    /* Where Xen's domain builder puts it too: after start_info. */
    if ( console_ring )
    {
        l->cons_start = v;
        v += PAGE_SIZE;
    }
    l->pt_start = v;

    /* The tables map themselves: grow until the count is stable. */
    for ( l->nr_pt_frames = 1; ; l->nr_pt_frames++ )
    {
        unsigned long end = l->pt_start + (l->nr_pt_frames << PAGE_SHIFT) +
                            PAGE_SIZE /* stack */ + 512 * 1024;

        end = ROUNDUP(end, MB(4));
        if ( tables_for(l->v_start, end) <= l->nr_pt_frames )
        {
            l->v_end = end;
            break;
        }
    }
    l->pt_end = l->pt_start + (l->nr_pt_frames << PAGE_SHIFT);
    l->stack_start = l->pt_end;

    used = (l->v_end - l->v_start) >> PAGE_SHIFT;
    if ( p->mod_start_pfn )
        used += PFN_UP(initrd_len);
    l->p2m_pages = p2m_bytes >> PAGE_SHIFT;
    if ( l->p2m_outside )
    {
        /* Its own tables: an L4 entry's worth of L3, L2s and L1s. */
        if ( l->p2m_start < l->v_end && l->p2m_end > l->v_start )
            return -EINVAL;
        l->p2m_pfn = used;
        l->p2m_tables = tables_for(l->p2m_start, l->p2m_end) - 1;
        used += l->p2m_pages + l->p2m_tables;
    }
    else
        l->p2m_pfn = (l->p2m_start - l->v_start) >> PAGE_SHIFT;

    return used > nr_pages ? -ENOMEM : 0;
}

/*
 * Maps va to pfn in the tree under l4, making the missing tables from
 * the frames at *next_table on; rw: the guest may write the page.
 */
static void map_one(struct dom0_ctx *ctx, mfn_t l4, unsigned long va,
                    unsigned long pfn, bool rw, unsigned long *next_table)
{
    static const unsigned int shift[] = { L4_PAGE_SHIFT, L3_PAGE_SHIFT,
                                          L2_PAGE_SHIFT };
    mfn_t table = l4;
    unsigned int i;
    pgentry_t *t;

    for ( i = 0; i < 3; i++ )
    {
        unsigned int idx = (va >> shift[i]) & 511;

        t = map_domain_page(table);
        if ( !(t[idx] & _PAGE_PRESENT) )
            t[idx] = mfn_to_maddr(ctx->p2m[(*next_table)++]) | LN_PROT;
        table = maddr_to_mfn(t[idx] & PTE_ADDR_MASK);
        unmap_domain_page(t);
    }
    t = map_domain_page(table);
    t[l1_table_offset(va)] = mfn_to_maddr(ctx->p2m[pfn]) |
                             (rw ? L1_PROT : L1_PROT & ~_PAGE_RW);
    unmap_domain_page(t);
}

/*
 * Builds the tables: the region's in the frames behind [pt_start,
 * pt_end), the outside p2m's (INIT_P2M) in the frames after its list.
 */
static mfn_t build_page_tables(struct dom0_ctx *ctx)
{
    const struct dom0_layout *l = ctx->l;
    unsigned long next_pt = (l->pt_start - l->v_start) >> PAGE_SHIFT;
    mfn_t l4 = ctx->p2m[next_pt++];
    unsigned long va, k;
    pgentry_t *t;

    t = map_domain_page(l4);
    init_xen_l4_slots(t, ctx->d->arch.perdomain_l3, l4);
    unmap_domain_page(t);

    /* The guest may not write its page tables directly. */
    for ( va = l->v_start; va < l->v_end; va += PAGE_SIZE )
        map_one(ctx, l4, va, (va - l->v_start) >> PAGE_SHIFT,
                va < l->pt_start || va >= l->pt_end, &next_pt);
    BUG_ON(next_pt > (l->pt_end - l->v_start) >> PAGE_SHIFT);

    if ( l->p2m_outside )
    {
        next_pt = l->p2m_pfn + l->p2m_pages;
        for ( k = 0; k < l->p2m_pages; k++ )
            map_one(ctx, l4, l->p2m_start + (k << PAGE_SHIFT),
                    l->p2m_pfn + k, true, &next_pt);
        BUG_ON(next_pt > l->p2m_pfn + l->p2m_pages + l->p2m_tables);
    }

    return l4;
}

/* ---------------------------------------------------------------------
 * The hypercall page, start_info, the vCPU
 */

static void write_hypercall_page(struct dom0_ctx *ctx, unsigned long va)
{
    uint8_t page[PAGE_SIZE], *p;
    unsigned int i;

    memset(page, 0xcc, sizeof(page)); /* int3 between the stubs */
    for ( i = 0; i < PAGE_SIZE / 32; i++ )
    {
        p = page + i * 32;
        if ( i == __HYPERVISOR_iret )
        {
            /* push %rcx; push %r11; push %rax; mov $23,%eax; syscall */
            static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8,
                                            __HYPERVISOR_iret, 0, 0, 0,
                                            0x0f, 0x05 };

            memcpy(p, iret, sizeof(iret));
            continue;
        }
        /* push %rcx; push %r11; mov $i,%eax; syscall; pop %r11; pop %rcx;
         * ret: the stub keeps the registers SYSCALL clobbers. */
        p[0] = 0x51;
        p[1] = 0x41; p[2] = 0x53;
        p[3] = 0xb8; p[4] = i; p[5] = 0; p[6] = 0; p[7] = 0;
        p[8] = 0x0f; p[9] = 0x05;
        p[10] = 0x41; p[11] = 0x5b;
        p[12] = 0x59;
        p[13] = 0xc3;
    }
    write_guest(ctx, va, page, sizeof(page));
}

static void write_start_info(struct dom0_ctx *ctx, const char *cmdline,
                             const struct elf_dom_parms *parms,
                             unsigned long initrd_pfn, unsigned long initrd_len,
                             int cons_port)
{
    const struct dom0_layout *l = ctx->l;
    struct start_info *si = xzalloc(struct start_info);

    BUG_ON(!si);
    strlcpy(si->magic, "xen-3.0-x86_64", sizeof(si->magic));
    si->nr_pages = l->nr_pages;
    si->shared_info = __pa(ctx->d->shared_info);
    /*
     * No xenstore (store_evtchn 0): Linux then waits for a local one,
     * which never comes, and finds no devices (docs/designs/domu.md).
     */
    si->flags = ctx->d->is_privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
    if ( l->cons_start )
    {
        si->console.domU.mfn =
            mfn_x(ctx->p2m[(l->cons_start - l->v_start) >> PAGE_SHIFT]);
        si->console.domU.evtchn = cons_port;
    }
    si->pt_base = l->pt_start;
    si->nr_pt_frames = l->nr_pt_frames;
    si->mfn_list = l->p2m_start;
    if ( l->p2m_outside )
    {
        si->first_p2m_pfn = l->p2m_pfn;
        si->nr_p2m_frames = l->p2m_pages + l->p2m_tables;
    }
    if ( initrd_len )
    {
        if ( parms->mod_start_pfn )
        {
            si->flags |= SIF_MOD_START_PFN;
            si->mod_start = initrd_pfn;
        }
        else
            si->mod_start = l->initrd_start;
        si->mod_len = initrd_len;
    }
    if ( cmdline )
        strlcpy((char *)si->cmd_line, cmdline, sizeof(si->cmd_line));
    write_guest(ctx, l->si_start, si, sizeof(*si));
    xfree(si);
}

/* The p2m list, a page at a time, into its frames (p2m_pfn on). */
static void write_p2m(struct dom0_ctx *ctx)
{
    const struct dom0_layout *l = ctx->l;
    unsigned long k, i, pfn = 0;

    for ( k = 0; k < l->p2m_pages; k++ )
    {
        unsigned long *p = map_domain_page(ctx->p2m[l->p2m_pfn + k]);

        for ( i = 0; i < PAGE_SIZE / sizeof(*p); i++, pfn++ )
            p[i] = pfn < l->nr_pages ? mfn_x(ctx->p2m[pfn]) : ~0UL;
        unmap_domain_page(p);
    }
}

static void setup_vcpu0(struct vcpu *v, const struct elf_dom_parms *parms,
                        const struct dom0_layout *l, mfn_t l4)
{
    struct cpu_user_regs *r = &v->arch.user_regs;

    memset(r, 0, sizeof(*r));
    r->rip = parms->virt_entry;
    r->rsp = l->stack_start + PAGE_SIZE;
    r->rsi = l->si_start;
    r->cs = FLAT_KERNEL_CS;
    r->ss = FLAT_KERNEL_SS;
    r->rflags = X86_EFLAGS_IF | X86_EFLAGS_MBS;
    v->arch.guest_table = l4;
    v->arch.flags = TF_kernel_mode;
    pv_update_vcpu_time(v);
    clear_bit(_VPF_down, &v->pause_flags);
}

static void print_layout(const struct dom0_layout *l, struct domain *d)
{
    printk("Dom%u has maximum %lu PAGES (%lu MiB)\n", d->domain_id,
           l->nr_pages, l->nr_pages >> (20 - PAGE_SHIFT));
    printk("Dom%u virtual memory layout:\n", d->domain_id);
    printk(" Loaded kernel: %016lx->%016lx\n", l->kern_start, l->kern_end);
    if ( l->initrd_start )
        printk(" Init. ramdisk: %016lx->%016lx\n", l->initrd_start,
               l->initrd_end);
    printk(" Phys-Mach map: %016lx->%016lx%s\n", l->p2m_start, l->p2m_end,
           l->p2m_outside ? " (INIT_P2M, its own page tables)" : "");
    printk(" Start info:    %016lx->%016lx\n", l->si_start,
           l->si_start + PAGE_SIZE);
    if ( l->cons_start )
        printk(" Console ring:  %016lx->%016lx\n", l->cons_start,
               l->cons_start + PAGE_SIZE);
    printk(" Page tables:   %016lx->%016lx (%lu frames)\n", l->pt_start,
           l->pt_end, l->nr_pt_frames);
    printk(" Boot stack:    %016lx->%016lx\n", l->stack_start,
           l->stack_start + PAGE_SIZE);
    printk(" TOTAL:         %016lx->%016lx\n", l->v_start, l->v_end);
}

/* ---------------------------------------------------------------------
 * The whole build
 */

/* The features a kernel may require of this hypervisor. */
static void hypervisor_features(uint32_t *f, const struct domain *d)
{
    memset(f, 0, XENFEAT_NR_SUBMAPS * sizeof(*f));
    f[0] = xen_features_for(d) | (1U << XENFEAT_writable_page_tables) |
           (1U << XENFEAT_pae_pgdir_above_4gb);
}

static void *map_module(const struct boot_module *m)
{
    mfn_t first = maddr_to_mfn(m->start);
    unsigned long nr = PFN_UP(m->end) - mfn_x(first);

    return (char *)__vmap(&first, nr, 1, 1, PAGE_HYPERVISOR_RO,
                          VMAP_DEFAULT) + (m->start & ~PAGE_MASK);
}

/* Whose kernel the messages below are about: "dom0", "d1"... */
static char who[8];

static int __init fail(const char *what, const char *why)
{
    printk(XENLOG_ERR "%s kernel: %s%s%s\n", who, what, why ? ": " : "",
           why ? why : "");
    return -EINVAL;
}

/*
 * A bzImage module: its payload decompressed into a vmalloc'd buffer,
 * which *image then points at (the module's mapping stays, for
 * release_image()). Not a bzImage: nothing changes, 0. A bad one:
 * one line, -EINVAL.
 */
static int __init unpack_bzimage(void **image, size_t *len, void **unpacked)
{
    const void *payload;
    size_t payload_len, size, got;
    enum compression c;
    const char *why = NULL;
    void *out;
    int rc;

    rc = bzimage_parse(*image, *len, &payload, &payload_len, &size, &why);
    if ( rc == -ENOEXEC )
        return 0;
    if ( rc )
        return fail("bad bzImage", why);

    c = compression_detect(payload, payload_len);
    out = vmalloc(size);
    if ( !out )
        return fail("no memory to decompress the bzImage", NULL);
    rc = decompress(c, payload, payload_len, out, size, &got, &why);
    if ( rc )
    {
        vfree(out);
        return fail("cannot decompress the bzImage payload", why);
    }
    printk("%s kernel: bzImage, %s payload, %zu bytes -> %zu\n", who,
           compression_name(c), payload_len, got);
    *unpacked = out;
    *image = out;
    *len = got;

    return 0;
}


/* Unmaps the module and frees its unpacked copy, if any. */
static void __init release_image(void *module, void *unpacked)
{
    if ( unpacked )
        vfree(unpacked);
    vunmap((void *)((unsigned long)module & PAGE_MASK));
}

int __init construct_pv_domain(struct domain *d,
                               const struct pv_build_info *b)
{
    const struct boot_module *km = b->kernel, *im = b->initrd;
    struct elf_binary elf;
    struct elf_dom_parms parms;
    void *unpacked = NULL, *module;
    size_t image_len;
    struct dom0_layout layout;
    struct dom0_ctx ctx = { .d = d, .l = &layout };
    uint32_t hv[XENFEAT_NR_SUBMAPS];
    unsigned long nr_pages, initrd_len = im ? im->end - im->start : 0;
    unsigned long initrd_pfn = 0;
    int cons_port = 0;
    const char *why = NULL;
    unsigned int missing;
    void *image;
    mfn_t l4;
    int rc;

    if ( d->is_privileged )
        snprintf(who, sizeof(who), "dom0");
    else
        snprintf(who, sizeof(who), "d%u", d->domain_id);
    image = module = map_module(km);
    if ( !image )
        return fail("cannot map the module", NULL);
    image_len = km->end - km->start;
    rc = unpack_bzimage(&image, &image_len, &unpacked);
    if ( rc )
    {
        release_image(module, NULL);
        return rc;
    }

    rc = elf_init(&elf, image, image_len, &why);
    if ( !rc )
        rc = elf_xen_parse(&elf, &parms, &why);
    if ( rc )
    {
        release_image(module, unpacked);
        return fail(why, parms.detail[0] ? parms.detail : NULL);
    }
    hypervisor_features(hv, d);
    if ( elf_features_check(&parms, hv, &missing) )
    {
        printk(XENLOG_ERR "%s kernel requires feature %s (bit %u), which "
               "Xenon does not offer\n", who, xen_feature_name(missing),
               missing);
        release_image(module, unpacked);
        return -EINVAL;
    }
    if ( d->is_privileged && !elf_dom0_capable(&parms) )
    {
        release_image(module, unpacked);
        return fail("the kernel does not support running as dom0", NULL);
    }
    printk("%s kernel: %s %s, loader %s, entry %#lx, hypercall page %#lx\n",
           who, parms.guest_os, parms.xen_ver, parms.loader, parms.virt_entry,
           parms.virt_hypercall);

    nr_pages = b->nr_pages;
    rc = compute_layout(&layout, &parms, initrd_len, nr_pages,
                        !d->is_privileged);
    if ( rc )
    {
        release_image(module, unpacked);
        return fail(rc == -ENOMEM
                    ? "not enough memory for the kernel and its boot region"
                    : "its INIT_P2M address overlaps its boot region", NULL);
    }

    ctx.p2m = vmalloc(nr_pages * sizeof(*ctx.p2m));
    if ( !ctx.p2m || allocate_memory(d, ctx.p2m, nr_pages) )
    {
        /* dom0's size was clamped to what is free: that cannot happen. */
        if ( d->is_privileged )
            panic("dom0: out of memory allocating %lu pages", nr_pages);
        vfree(ctx.p2m);
        release_image(module, unpacked);
        return fail("not enough memory", NULL);
    }
    d->arch.p2m_size = nr_pages;
    print_layout(&layout, d);

    rc = elf_load(&elf, &parms, write_guest, clear_guest, &ctx);
    release_image(module, unpacked);
    if ( rc )
        return fail("cannot load its segments", NULL);

    if ( im )
    {
        const void *rd = map_module(im);

        if ( parms.mod_start_pfn )
        {
            /* In the frames right after the bootstrap region, unmapped. */
            initrd_pfn = (layout.v_end - layout.v_start) >> PAGE_SHIFT;
            write_guest(&ctx, layout.v_end, rd, initrd_len);
        }
        else
            write_guest(&ctx, layout.initrd_start, rd, initrd_len);
        vunmap((void *)((unsigned long)rd & PAGE_MASK));
    }

    write_p2m(&ctx);
    l4 = build_page_tables(&ctx);
    /*
     * Validated like any guest table (which takes every entry's
     * references), pinned, and held as vCPU 0's root: two type
     * references, as a guest's own PIN + NEW_BASEPTR would leave.
     */
    if ( !get_page_and_type(mfn_to_page(l4), d, PGT_l4_page_table) ||
         !get_page_and_type(mfn_to_page(l4), d, PGT_l4_page_table) )
        panic("%s: its initial page tables do not validate", who);
    set_bit(59 /* PGT_pinned */, &mfn_to_page(l4)->type_info);
    if ( elf_note_present(&parms, XEN_ELFNOTE_HYPERCALL_PAGE) )
        write_hypercall_page(&ctx, parms.virt_hypercall);
    if ( layout.cons_start )
    {
        clear_guest(&ctx, layout.cons_start, PAGE_SIZE);
        cons_port = pv_console_ring_init(d,
            ctx.p2m[(layout.cons_start - layout.v_start) >> PAGE_SHIFT]);
        if ( cons_port < 0 )
        {
            vfree(ctx.p2m);
            return fail("no event channel for its console ring", NULL);
        }
    }
    write_start_info(&ctx, b->cmdline, &parms, initrd_pfn, initrd_len,
                     cons_port);
    pv_init_wallclock(d);
    setup_vcpu0(d->vcpu[0], &parms, &layout, l4);
    vfree(ctx.p2m);

    return 0;
}

int __init construct_dom0(struct domain *d, unsigned long kept)
{
    struct pv_build_info b = {
        .kernel = boot_guest_module(0),
        .initrd = boot_guest_module(1),
        .nr_pages = dom0_pages(kept),
    };

    b.cmdline = b.kernel->cmdline;
    return construct_pv_domain(d, &b);
}
