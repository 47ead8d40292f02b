/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables, version 1. One domain here, so the kernel grants pages
 * to itself (domid 0) and maps its own grants, which Xen allows: the
 * table's frames, a grant mapped writable and read-only at another VA
 * (data seen on both sides, the status bits the granter sees, a revoke
 * refused while mapped), a device mapping's bus address, copies each
 * way, every bad input, a long batch of copies continued when an
 * event is pending, and a grant PTE the guest replaces itself.
 * The map and unmap errors are Xen's: a read-only grant mapped
 * writable or granted to another domain is a general error.
 */
#include "pvkernel.h"
#include <public/grant_table.h>

#define gnttab_op(cmd, p, n) hypercall3(__HYPERVISOR_grant_table_op, cmd, p, n)

#define MY_DOMID     my_domid
#define NO_DOMAIN    1234       /* no such domain */
#define OTHER_DOMAIN (my_domid + 100) /* a grant to someone else */
#define NR_FRAMES    4
#define STATUS_UNSET 0x5a5a     /* no GNTST_* value: not written back */

/* Grants used here, past the reserved ones; each check has its own. */
enum {
    REF_RW = 10, REF_RO, REF_DEV, REF_COPY_SRC, REF_COPY_DST, REF_BAD,
    REF_TABLE, REF_REPLACED,
};

/* Where frame 0 of the grant table is mapped once set up. */
static grant_entry_v1_t table_va[PAGE_SIZE / sizeof(grant_entry_v1_t)]
    __attribute__((aligned(PAGE_SIZE)));
static grant_entry_v1_t *table;
static xen_pfn_t table_frames[NR_FRAMES];

static grant_entry_v1_t *gnttab(void)
{
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF, .nr_frames = NR_FRAMES, .status = STATUS_UNSET,
    };

    if ( table )
        return table;
    set_xen_guest_handle(st.frame_list, table_frames);
    if ( gnttab_op(GNTTABOP_setup_table, &st, 1) || st.status != GNTST_okay )
    {
        fail("setup_table of %u frames: status %d", NR_FRAMES, st.status);
        check_abort();
    }
    if ( HYPERVISOR_update_va_mapping((unsigned long)table_va,
                                      (table_frames[0] << PAGE_SHIFT) |
                                      _PAGE_PRESENT | _PAGE_RW | _PAGE_USER,
                                      UVMF_INVLPG) )
    {
        fail("cannot map grant frame %#lx", (unsigned long)table_frames[0]);
        check_abort();
    }
    table = table_va;
    return table;
}

static void grant(grant_ref_t ref, unsigned long mfn, uint16_t flags,
                  domid_t dom)
{
    volatile grant_entry_v1_t *e = &gnttab()[ref];

    e->domid = dom;
    e->frame = mfn;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    e->flags = flags;
}

static uint16_t grant_flags(grant_ref_t ref)
{
    return ((volatile grant_entry_v1_t *)gnttab())[ref].flags;
}

/* The v1 revoke: flags from what was granted to 0, if nobody uses it. */
static bool revoke(grant_ref_t ref, uint16_t granted)
{
    uint16_t expected = granted;

    return __atomic_compare_exchange_n(&gnttab()[ref].flags, &expected, 0,
                                       false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

static int16_t map(grant_ref_t ref, domid_t dom, unsigned long host_addr,
                   uint32_t flags, grant_handle_t *handle, uint64_t *bus)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom,
        .status = STATUS_UNSET, .handle = ~0U,
    };
    long rc = gnttab_op(GNTTABOP_map_grant_ref, &op, 1);

    if ( rc )
        fail("map_grant_ref returned %ld", rc);
    if ( handle )
        *handle = op.handle;
    if ( bus )
        *bus = op.dev_bus_addr;
    return op.status;
}

static int16_t unmap(unsigned long host_addr, uint64_t bus,
                     grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = host_addr, .dev_bus_addr = bus, .handle = handle,
        .status = STATUS_UNSET,
    };
    long rc = gnttab_op(GNTTABOP_unmap_grant_ref, &op, 1);

    if ( rc )
        fail("unmap_grant_ref returned %ld", rc);
    return op.status;
}

/* A page of ours with nothing mapped at its VA: where a grant goes. */
static unsigned long free_va(void)
{
    unsigned long va = scratch_page();

    if ( HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG) )
    {
        fail("cannot unmap scratch page %#lx", va);
        check_abort();
    }
    return va;
}

/* A frame the kernel does not own: one of the hypervisor's M2P frames. */
static unsigned long foreign_mfn(void)
{
    static xen_pfn_t mfn;
    struct xen_machphys_mfn_list l = { .max_extents = 1 };

    set_xen_guest_handle(l.extent_start, &mfn);
    EXPECT_OK(HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l));
    return mfn;
}

/* ---------------------------------------------------------------------
 * The table
 */

/* First: Xen changes versions only while no grant is in use. */
PVTEST(grant_version)
{
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    struct gnttab_set_version sv = { .version = 1 };
    long rc;

    EXPECT_OK(gnttab_op(GNTTABOP_get_version, &gv, 1));
    EXPECT_EQ(gv.version, 1);
    gv.dom = NO_DOMAIN;
    EXPECT_ERR(gnttab_op(GNTTABOP_get_version, &gv, 1), ESRCH);

    EXPECT_OK(gnttab_op(GNTTABOP_set_version, &sv, 1));
    EXPECT_EQ(sv.version, 1);
    sv.version = 3;
    EXPECT_ERR(gnttab_op(GNTTABOP_set_version, &sv, 1), EINVAL);
    EXPECT_EQ(sv.version, 1);

    /* Xenon has version 1 only (-ENOSYS, as Xen limited to it); Xen 2. */
    sv.version = 2;
    rc = gnttab_op(GNTTABOP_set_version, &sv, 1);
    if ( rc == 0 )
    {
        EXPECT_EQ(sv.version, 2);
        gv.dom = DOMID_SELF;
        EXPECT_OK(gnttab_op(GNTTABOP_get_version, &gv, 1));
        EXPECT_EQ(gv.version, 2);
        sv.version = 1;
        EXPECT_OK(gnttab_op(GNTTABOP_set_version, &sv, 1));
    }
    else
    {
        EXPECT_EQ(rc, -ENOSYS);
        EXPECT_EQ(sv.version, 1);
    }
    gv.dom = DOMID_SELF;
    EXPECT_OK(gnttab_op(GNTTABOP_get_version, &gv, 1));
    EXPECT_EQ(gv.version, 1);
}

PVTEST(grant_setup_query)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF, .status = STATUS_UNSET };
    struct gnttab_setup_table st = { .dom = DOMID_SELF };
    static xen_pfn_t frames[NR_FRAMES];
    unsigned int max;

    EXPECT_OK(gnttab_op(GNTTABOP_query_size, &q, 1));
    EXPECT_EQ(q.status, GNTST_okay);
    expect(q.nr_frames >= 1, "no grant frame to start with");
    /* Xenon allows 32 frames, Xen 4.17 64. */
    expect(q.max_nr_frames >= 32, "max_nr_frames %u", q.max_nr_frames);
    max = q.max_nr_frames;

    gnttab();
    EXPECT_OK(gnttab_op(GNTTABOP_query_size, &q, 1));
    EXPECT_EQ(q.nr_frames, NR_FRAMES);
    EXPECT_EQ(q.max_nr_frames, max);

    /* Asking again lists the same frames, and never shrinks the table. */
    set_xen_guest_handle(st.frame_list, frames);
    st.nr_frames = 2;
    st.status = STATUS_UNSET;
    EXPECT_OK(gnttab_op(GNTTABOP_setup_table, &st, 1));
    EXPECT_EQ(st.status, GNTST_okay);
    EXPECT_EQ(frames[0], table_frames[0]);
    EXPECT_EQ(frames[1], table_frames[1]);
    EXPECT_OK(gnttab_op(GNTTABOP_query_size, &q, 1));
    EXPECT_EQ(q.nr_frames, NR_FRAMES);
    /* The frames are distinct, and ours to map: frame 0 is mapped. */
    expect(table_frames[0] != table_frames[1] &&
           table_frames[1] != table_frames[2], "grant frames repeat");

    st.nr_frames = max + 1;
    st.status = STATUS_UNSET;
    EXPECT_OK(gnttab_op(GNTTABOP_setup_table, &st, 1));
    EXPECT_EQ(st.status, GNTST_general_error);
    st.nr_frames = 1;
    st.dom = NO_DOMAIN;
    EXPECT_OK(gnttab_op(GNTTABOP_setup_table, &st, 1));
    EXPECT_EQ(st.status, GNTST_bad_domain);
    EXPECT_ERR(gnttab_op(GNTTABOP_setup_table, &st, 2), EINVAL);
    q.dom = NO_DOMAIN;
    q.status = STATUS_UNSET;
    EXPECT_OK(gnttab_op(GNTTABOP_query_size, &q, 1));
    EXPECT_EQ(q.status, GNTST_bad_domain);
    EXPECT_ERR(gnttab_op(GNTTABOP_query_size, &q, 2), EINVAL);
    EXPECT_ERR(gnttab_op(GNTTABOP_query_size, NULL, 1), EFAULT);
    EXPECT_ERR(gnttab_op(99, &q, 1), ENOSYS);
}

/* ---------------------------------------------------------------------
 * Mappings
 */

PVTEST(grant_map_writable)
{
    unsigned long page = scratch_page(), va = free_va();
    unsigned long mfn = va_to_mfn(page);
    volatile uint32_t *mine = (void *)page, *mapped = (void *)va;
    grant_handle_t h;
    uint64_t bus = 0, pte;

    mine[0] = 0x600df00d;
    grant(REF_RW, mfn, GTF_permit_access, MY_DOMID);
    EXPECT_EQ(map(REF_RW, MY_DOMID, va, GNTMAP_host_map, &h, &bus),
              GNTST_okay);
    pte = read_pte(va, 1);
    EXPECT_EQ((pte & PTE_MFN_MASK) >> PAGE_SHIFT, mfn);
    EXPECT_EQ(pte & (_PAGE_PRESENT | _PAGE_RW), _PAGE_PRESENT | _PAGE_RW);
    EXPECT_EQ(bus, (uint64_t)mfn << PAGE_SHIFT);

    /* The same frame on both sides. */
    EXPECT_EQ(mapped[0], 0x600df00d);
    mapped[1] = 0xfeedbeef;
    EXPECT_EQ(mine[1], 0xfeedbeef);

    /* In use: the granter sees it, and cannot take it back. */
    EXPECT_EQ(grant_flags(REF_RW),
              GTF_permit_access | GTF_reading | GTF_writing);
    expect(!revoke(REF_RW, GTF_permit_access), "revoked while mapped");

    EXPECT_EQ(unmap(va, 0, h), GNTST_okay);
    EXPECT_EQ(read_pte(va, 1) & _PAGE_PRESENT, 0);
    EXPECT_EQ(grant_flags(REF_RW), GTF_permit_access);
    expect(revoke(REF_RW, GTF_permit_access), "not revoked once unmapped");
    EXPECT_EQ(grant_flags(REF_RW), 0);

    /* The mapping's writable type went with it: the frame may be a table. */
    mine[0] = mine[1] = 0;
    EXPECT_OK(remap_ro(page));
    EXPECT_OK(mmuext(MMUEXT_PIN_L1_TABLE, mfn));
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, mfn));
}

PVTEST(grant_map_readonly)
{
    unsigned long page = scratch_page(), va = free_va(), va2 = free_va();
    unsigned long mfn = va_to_mfn(page);
    grant_handle_t h, h2;

    *(volatile uint32_t *)page = 0xabcd0123;
    grant(REF_RO, mfn, GTF_permit_access | GTF_readonly, MY_DOMID);
    /* A read-only grant mapped writable: Xen's general error. */
    EXPECT_EQ(map(REF_RO, MY_DOMID, va, GNTMAP_host_map, &h, NULL),
              GNTST_general_error);
    EXPECT_EQ(grant_flags(REF_RO), GTF_permit_access | GTF_readonly);

    EXPECT_EQ(map(REF_RO, MY_DOMID, va, GNTMAP_host_map | GNTMAP_readonly,
                  &h, NULL), GNTST_okay);
    EXPECT_EQ(read_pte(va, 1) & (_PAGE_PRESENT | _PAGE_RW), _PAGE_PRESENT);
    EXPECT_EQ(*(volatile uint32_t *)va, 0xabcd0123);
    EXPECT_EQ(grant_flags(REF_RO),
              GTF_permit_access | GTF_readonly | GTF_reading);
    if ( !pv_setjmp(trap_catch()) )
    {
        *(volatile uint32_t *)va = 1;
        trap_catch_end();
        fail("write through a read-only grant mapping");
    }
    else
        EXPECT_EQ(caught.vector, 14);

    /* Two mappings: the bits stay until the last one goes. */
    EXPECT_EQ(map(REF_RO, MY_DOMID, va2,
                  GNTMAP_host_map | GNTMAP_readonly, &h2, NULL), GNTST_okay);
    expect(h2 != h, "two mappings share handle %u", h);
    EXPECT_EQ(unmap(va, 0, h), GNTST_okay);
    EXPECT_EQ(grant_flags(REF_RO),
              GTF_permit_access | GTF_readonly | GTF_reading);
    EXPECT_EQ(unmap(va2, 0, h2), GNTST_okay);
    EXPECT_EQ(grant_flags(REF_RO), GTF_permit_access | GTF_readonly);
    expect(revoke(REF_RO, GTF_permit_access | GTF_readonly),
           "not revoked once unmapped");
}

PVTEST(grant_device_map)
{
    unsigned long page = scratch_page(), va = free_va();
    unsigned long mfn = va_to_mfn(page);
    grant_handle_t h;
    uint64_t bus = 0;

    grant(REF_DEV, mfn, GTF_permit_access, MY_DOMID);
    EXPECT_EQ(map(REF_DEV, MY_DOMID, 0, GNTMAP_device_map, &h, &bus),
              GNTST_okay);
    EXPECT_EQ(bus, (uint64_t)mfn << PAGE_SHIFT);
    EXPECT_EQ(grant_flags(REF_DEV),
              GTF_permit_access | GTF_reading | GTF_writing);
    EXPECT_EQ(unmap(0, bus + PAGE_SIZE, h), GNTST_bad_dev_addr);
    EXPECT_EQ(unmap(0, bus, h), GNTST_okay);
    EXPECT_EQ(grant_flags(REF_DEV), GTF_permit_access);
    EXPECT_EQ(unmap(0, bus, h), GNTST_bad_handle);

    /* Both at once: each part unmapped on its own, the handle with the last. */
    EXPECT_EQ(map(REF_DEV, MY_DOMID, va,
                  GNTMAP_device_map | GNTMAP_host_map | GNTMAP_readonly,
                  &h, &bus), GNTST_okay);
    EXPECT_EQ(bus, (uint64_t)mfn << PAGE_SHIFT);
    EXPECT_EQ(grant_flags(REF_DEV), GTF_permit_access | GTF_reading);
    EXPECT_EQ(unmap(va, 0, h), GNTST_okay);
    EXPECT_EQ(read_pte(va, 1) & _PAGE_PRESENT, 0);
    EXPECT_EQ(grant_flags(REF_DEV), GTF_permit_access | GTF_reading);
    EXPECT_EQ(unmap(0, bus, h), GNTST_okay);
    EXPECT_EQ(grant_flags(REF_DEV), GTF_permit_access);
    EXPECT_EQ(unmap(va, bus, h), GNTST_bad_handle);
    expect(revoke(REF_DEV, GTF_permit_access), "not revoked once unmapped");
}

/* A VA with no L1 table under it: the last 2 MiB of the kernel's 1 GiB. */
static unsigned long no_l1_va(void)
{
    return ((KERNEL_VIRT_BASE + 0x1000) & ~((1UL << 30) - 1)) +
           (1UL << 30) - (1UL << 21);
}

PVTEST(grant_bad_input)
{
    unsigned long page = scratch_page(), va = free_va();
    unsigned long mfn = va_to_mfn(page);
    unsigned long l1 = pte_maddr(va, 1) >> PAGE_SHIFT;
    grant_handle_t h;

    grant(REF_BAD, mfn, GTF_permit_access, MY_DOMID);
    EXPECT_EQ(map(NR_FRAMES * 512 + 3, MY_DOMID, va, GNTMAP_host_map, &h,
                  NULL), GNTST_bad_gntref);
    EXPECT_EQ(map(REF_BAD, NO_DOMAIN, va, GNTMAP_host_map, &h, NULL),
              GNTST_bad_domain);
    EXPECT_EQ(map(REF_BAD, MY_DOMID, va, 0, &h, NULL), GNTST_bad_gntref);
    /* Nowhere to put the PTE: no L1 there, or the hypervisor's range. */
    EXPECT_EQ(map(REF_BAD, MY_DOMID, no_l1_va(), GNTMAP_host_map, &h, NULL),
              GNTST_general_error);
    EXPECT_EQ(map(REF_BAD, MY_DOMID, 0xffff830000000000UL, GNTMAP_host_map,
                  &h, NULL), GNTST_general_error);
    /* Each failure left the grant unused. */
    EXPECT_EQ(grant_flags(REF_BAD), GTF_permit_access);

    /* Granted to another domain; not granted at all. */
    grant(REF_BAD, mfn, GTF_permit_access, OTHER_DOMAIN);
    EXPECT_EQ(map(REF_BAD, MY_DOMID, va, GNTMAP_host_map, &h, NULL),
              GNTST_general_error);
    grant(REF_BAD, mfn, GTF_invalid, MY_DOMID);
    EXPECT_EQ(map(REF_BAD, MY_DOMID, va, GNTMAP_host_map, &h, NULL),
              GNTST_general_error);
    /* A frame the granter does not own. */
    grant(REF_BAD, foreign_mfn(), GTF_permit_access, MY_DOMID);
    EXPECT_EQ(map(REF_BAD, MY_DOMID, va, GNTMAP_host_map, &h, NULL),
              GNTST_bad_page);
    EXPECT_EQ(grant_flags(REF_BAD), GTF_permit_access);

    /* A page table granted: readable, never writable. */
    grant(REF_TABLE, l1, GTF_permit_access, MY_DOMID);
    EXPECT_EQ(map(REF_TABLE, MY_DOMID, va, GNTMAP_host_map, &h, NULL),
              GNTST_general_error);
    EXPECT_EQ(grant_flags(REF_TABLE), GTF_permit_access);
    EXPECT_EQ(map(REF_TABLE, MY_DOMID, va, GNTMAP_host_map | GNTMAP_readonly,
                  &h, NULL), GNTST_okay);
    EXPECT_EQ(unmap(va, 0, h), GNTST_okay);
    expect(revoke(REF_TABLE, GTF_permit_access), "not revoked once unmapped");

    /* Unmaps: a handle never given, one used up, the wrong address. */
    grant(REF_BAD, mfn, GTF_permit_access, MY_DOMID);
    EXPECT_EQ(unmap(va, 0, 0x7fffffff), GNTST_bad_handle);
    EXPECT_EQ(map(REF_BAD, MY_DOMID, va, GNTMAP_host_map, &h, NULL),
              GNTST_okay);
    EXPECT_EQ(unmap(va + PAGE_SIZE, 0, h), GNTST_general_error);
    EXPECT_EQ(grant_flags(REF_BAD),
              GTF_permit_access | GTF_reading | GTF_writing);
    EXPECT_EQ(unmap(va, 0, h), GNTST_okay);
    EXPECT_EQ(unmap(va, 0, h), GNTST_bad_handle);
    EXPECT_EQ(grant_flags(REF_BAD), GTF_permit_access);
    expect(revoke(REF_BAD, GTF_permit_access), "not revoked once unmapped");

    /* The op array itself unreadable. */
    EXPECT_ERR(gnttab_op(GNTTABOP_map_grant_ref, 0xffff830000000000UL, 1),
               EFAULT);
    EXPECT_ERR(gnttab_op(GNTTABOP_unmap_grant_ref, NULL, 1), EFAULT);
}

/* ---------------------------------------------------------------------
 * Copies
 */

static int16_t copy(struct gnttab_copy *op)
{
    long rc;

    op->status = STATUS_UNSET;
    rc = gnttab_op(GNTTABOP_copy, op, 1);
    if ( rc )
        fail("copy returned %ld", rc);
    return op->status;
}

PVTEST(grant_copy)
{
    unsigned long granted = scratch_page(), mine = scratch_page();
    unsigned long gmfn = va_to_mfn(granted), mmfn = va_to_mfn(mine);
    uint8_t *g = (void *)granted, *m = (void *)mine;
    struct gnttab_copy op;

    for ( unsigned int i = 0; i < 256; i++ )
        g[i] = i;
    grant(REF_COPY_SRC, gmfn, GTF_permit_access | GTF_readonly, MY_DOMID);
    grant(REF_COPY_DST, gmfn, GTF_permit_access, MY_DOMID);

    /* Out of a grant, into a frame of ours. */
    op = (struct gnttab_copy){
        .source = { .u.ref = REF_COPY_SRC, .domid = MY_DOMID, .offset = 8 },
        .dest = { .u.gmfn = mmfn, .domid = DOMID_SELF, .offset = 100 },
        .len = 100, .flags = GNTCOPY_source_gref,
    };
    EXPECT_EQ(copy(&op), GNTST_okay);
    EXPECT_EQ(m[100], 8);
    EXPECT_EQ(m[199], 107);
    EXPECT_EQ(m[99], 0);
    EXPECT_EQ(m[200], 0);
    EXPECT_EQ(grant_flags(REF_COPY_SRC), GTF_permit_access | GTF_readonly);

    /* Into a grant, out of a frame of ours. */
    memset(m, 0xee, 64);
    op = (struct gnttab_copy){
        .source = { .u.gmfn = mmfn, .domid = DOMID_SELF },
        .dest = { .u.ref = REF_COPY_DST, .domid = MY_DOMID,
                  .offset = PAGE_SIZE - 64 },
        .len = 64, .flags = GNTCOPY_dest_gref,
    };
    EXPECT_EQ(copy(&op), GNTST_okay);
    EXPECT_EQ(g[PAGE_SIZE - 64], 0xee);
    EXPECT_EQ(g[PAGE_SIZE - 1], 0xee);
    EXPECT_EQ(g[PAGE_SIZE - 65], 0);
    EXPECT_EQ(grant_flags(REF_COPY_DST), GTF_permit_access);

    /* Past the end of a page. */
    op.len = 65;
    EXPECT_EQ(copy(&op), GNTST_bad_copy_arg);
    op.len = 64;
    op.source.offset = PAGE_SIZE - 63;
    EXPECT_EQ(copy(&op), GNTST_bad_copy_arg);
    op.source.offset = 0;
    /* Writing through a read-only grant. */
    op.dest.u.ref = REF_COPY_SRC;
    EXPECT_EQ(copy(&op), GNTST_general_error);
    EXPECT_EQ(grant_flags(REF_COPY_SRC), GTF_permit_access | GTF_readonly);
    /* A bad reference, a bad domain. */
    op.dest.u.ref = NR_FRAMES * 512 + 3;
    EXPECT_EQ(copy(&op), GNTST_bad_gntref);
    op.dest.u.ref = REF_COPY_DST;
    op.dest.domid = NO_DOMAIN;
    EXPECT_EQ(copy(&op), GNTST_bad_domain);
    op.dest.domid = MY_DOMID;
    /* Frames by number: only DOMID_SELF, only our own, never a table. */
    op.source.domid = MY_DOMID;
    EXPECT_EQ(copy(&op), GNTST_permission_denied);
    op.source.domid = DOMID_SELF;
    op.source.u.gmfn = foreign_mfn();
    EXPECT_EQ(copy(&op), GNTST_bad_page);
    op = (struct gnttab_copy){
        .source = { .u.gmfn = mmfn, .domid = DOMID_SELF },
        .dest = { .u.gmfn = pte_maddr(mine, 1) >> PAGE_SHIFT,
                  .domid = DOMID_SELF, .offset = 8 * 511 },
        .len = 8,
    };
    EXPECT_EQ(copy(&op), GNTST_general_error);
    /*
     * Nothing to copy: no error, nothing written. (Current Xen returns
     * before looking at the rest of the op, 4.17 still checks it: only
     * a valid op is common to both.)
     */
    m[0] = 0x11;
    op = (struct gnttab_copy){
        .source = { .u.gmfn = mmfn, .domid = DOMID_SELF },
        .dest = { .u.ref = REF_COPY_DST, .domid = MY_DOMID },
        .len = 0, .flags = GNTCOPY_dest_gref,
    };
    EXPECT_EQ(copy(&op), GNTST_okay);
    EXPECT_EQ(g[0], 0);
    EXPECT_EQ(grant_flags(REF_COPY_DST), GTF_permit_access);

    expect(revoke(REF_COPY_SRC, GTF_permit_access | GTF_readonly) &&
           revoke(REF_COPY_DST, GTF_permit_access), "copy grants in use");
}

/* ---------------------------------------------------------------------
 * A long batch
 */

#define LONG_COPIES (PAGE_SIZE / 2)

static struct gnttab_copy long_batch[LONG_COPIES];
static unsigned long batch_upcall_rip;

static void note_batch_upcall(const struct trap_frame *f)
{
    if ( !batch_upcall_rip )
        batch_upcall_rip = f->rip;
}

/* Op i copies bytes 2i and 2i+1 of from to the same place in to. */
static long copy_page_in_pairs(unsigned long from, unsigned long to)
{
    struct evtchn_close c;
    long rc;

    for ( unsigned int i = 0; i < LONG_COPIES; i++ )
        long_batch[i] = (struct gnttab_copy){
            .source = { .u.gmfn = va_to_mfn(from), .domid = DOMID_SELF,
                        .offset = i * 2 },
            .dest = { .u.gmfn = va_to_mfn(to), .domid = DOMID_SELF,
                      .offset = i * 2 },
            .len = 2, .status = STATUS_UNSET,
        };
    batch_upcall_rip = 0;
    event_hook = note_batch_upcall;
    c.port = pend_self_event();
    vcpu_info_of[0]->evtchn_upcall_mask = 0;
    rc = gnttab_op(GNTTABOP_copy, long_batch, LONG_COPIES);
    vcpu_info_of[0]->evtchn_upcall_mask = 1;
    event_hook = NULL;
    EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_close, &c));
    return rc;
}

/*
 * A batch of 2048 copies with an event pending is preempted (the upcall
 * comes on the SYSCALL) and continued: every op is done, once, with its
 * own status. An interrupt before the call takes the event there; the
 * copies are simply made again then.
 */
PVTEST(grant_copy_long_batch_preempted)
{
    unsigned long from = scratch_page(), to = scratch_page();
    uint16_t *f = (uint16_t *)from;
    unsigned int tries = 0, okay = 0;
    long rc;

    for ( unsigned int i = 0; i < LONG_COPIES; i++ )
        f[i] = i * 7 + 1;
    do {
        memset((void *)to, 0, PAGE_SIZE);
        rc = copy_page_in_pairs(from, to);
    } while ( upcall_place(batch_upcall_rip) == UPCALL_BEFORE_CALL &&
              ++tries < 3 );
    EXPECT_OK(rc);
    expect(upcall_place(batch_upcall_rip) == UPCALL_IN_CALL,
           "no upcall inside the batch (upcall at %#lx)", batch_upcall_rip);
    for ( unsigned int i = 0; i < LONG_COPIES; i++ )
        okay += long_batch[i].status == GNTST_okay;
    EXPECT_EQ(okay, LONG_COPIES);
    EXPECT_EQ(memcmp((void *)from, (void *)to, PAGE_SIZE), 0);
}

/* ---------------------------------------------------------------------
 * The guest replaces a grant PTE itself
 */

/*
 * Last (it leaves the grant in use, as Xen does). The mapping holds the
 * frame's writable type: while it is there the frame cannot become a
 * page table; once the guest overwrites the PTE that type reference is
 * gone with it, and the unmap finds no mapping to remove.
 */
PVTEST(grant_pte_replaced)
{
    unsigned long page = scratch_page(), va = free_va();
    unsigned long mfn = va_to_mfn(page);
    grant_handle_t h;

    grant(REF_REPLACED, mfn, GTF_permit_access, MY_DOMID);
    EXPECT_EQ(map(REF_REPLACED, MY_DOMID, va, GNTMAP_host_map, &h, NULL),
              GNTST_okay);
    EXPECT_OK(remap_ro(page));
    expect(mmuext(MMUEXT_PIN_L1_TABLE, mfn) < 0,
           "a frame mapped writable through a grant became a page table");

    EXPECT_OK(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG));
    EXPECT_OK(mmuext(MMUEXT_PIN_L1_TABLE, mfn));
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, mfn));

    EXPECT_EQ(unmap(va, 0, h), GNTST_general_error);
    EXPECT_EQ(grant_flags(REF_REPLACED),
              GTF_permit_access | GTF_reading | GTF_writing);
    expect(!revoke(REF_REPLACED, GTF_permit_access),
           "revoked while its handle is live");
}

/*
 * The `grant_hold` option: after the checks, leave one writable grant
 * of our own mapped twice (host and device) and one read-only one mapped
 * at a host address, for the hypervisor's page audit to account for
 * while the kernel idles.
 */
void grant_hold_for_audit(void)
{
    unsigned long rw = scratch_page(), ro = scratch_page();
    unsigned long va_rw = free_va(), va_ro = free_va();
    grant_handle_t h;
    uint64_t bus;

    grant(REF_RW, va_to_mfn(rw), GTF_permit_access, MY_DOMID);
    grant(REF_RO, va_to_mfn(ro), GTF_permit_access | GTF_readonly,
          MY_DOMID);
    if ( map(REF_RW, MY_DOMID, va_rw, GNTMAP_host_map | GNTMAP_device_map,
             &h, &bus) != GNTST_okay ||
         map(REF_RO, MY_DOMID, va_ro, GNTMAP_host_map | GNTMAP_readonly, &h,
             NULL) != GNTST_okay )
        printk("pvtest: grant_hold: mapping failed\n");
    else
        printk("pvtest: grant_hold: 2 grants mapped\n");
}
