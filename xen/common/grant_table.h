/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the grant tables: shared by grant_table.c (the table, pins,
 * maptrack, teardown) and grant_table_op.c (the hypercall).
 */
#ifndef COMMON_GRANT_TABLE_H
#define COMMON_GRANT_TABLE_H

#include <xen/grant_table.h>
#include <xen/spinlock.h>
#include <public/grant_table.h>

#define GRANTS_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))

/* What the hypervisor knows of a grant while it is used. */
struct active_grant {
    uint16_t readers;   /* read-only uses: mappings, copies in progress */
    uint16_t writers;   /* writable uses */
    domid_t mapper;     /* while used: the one domain using it */
    mfn_t frame;        /* while used: the frame, referenced */
};

#define ACTIVE_PER_PAGE        (PAGE_SIZE / sizeof(struct active_grant))
#define ACTIVE_PAGES_PER_FRAME (GRANTS_PER_FRAME / ACTIVE_PER_PAGE)

/* A handle of the mapping domain: one map_grant_ref, until unmapped. */
struct grant_mapping {
    uint32_t flags;             /* GNTMAP_* still held; 0: free */
    grant_ref_t ref;
    struct domain *granter;     /* referenced while in use */
    mfn_t frame;
    uint64_t host_addr;         /* as the guest gave it */
    struct grant_pte_slot slot; /* where the host mapping's PTE went */
    uint32_t next_free;         /* on the free list */
};

#define MAPTRACK_PER_PAGE  (PAGE_SIZE / sizeof(struct grant_mapping))
#define MAPTRACK_MAX_PAGES 64
#define MAPTRACK_NONE      (~0U)

struct grant_table {
    spinlock_t lock;            /* growth, active entries, status bits */
    unsigned int nr_frames;
    grant_entry_v1_t *shared[GNTTAB_MAX_FRAMES];
    struct active_grant *active[GNTTAB_MAX_FRAMES * ACTIVE_PAGES_PER_FRAME];

    spinlock_t maptrack_lock;   /* this domain's handles */
    unsigned int maptrack_pages;
    grant_handle_t maptrack_free;
    struct grant_mapping *maptrack[MAPTRACK_MAX_PAGES];
};

static inline unsigned int nr_grant_entries(const struct grant_table *gt)
{
    return read_atomic(&gt->nr_frames) * GRANTS_PER_FRAME;
}

/* ref < nr_grant_entries(gt). */
static inline grant_entry_v1_t *shared_entry(struct grant_table *gt,
                                             grant_ref_t ref)
{
    return &gt->shared[ref / GRANTS_PER_FRAME][ref % GRANTS_PER_FRAME];
}

static inline struct active_grant *active_entry(struct grant_table *gt,
                                                grant_ref_t ref)
{
    return &gt->active[ref / ACTIVE_PER_PAGE][ref % ACTIVE_PER_PAGE];
}

int grant_table_grow(struct domain *d, unsigned int nr_frames);

/*
 * One use of rd's grant ref by domain ld (read-only or writable): the
 * checks, the status bits, on the first use the frame's reference.
 * GNTST_okay with *frame set, or the GNTST_* error (nothing taken).
 */
int grant_pin(struct domain *rd, grant_ref_t ref, domid_t ld, bool readonly,
              mfn_t *frame);
/* Ends one use taken by grant_pin(). */
void grant_unpin(struct domain *rd, grant_ref_t ref, bool readonly);

/* Under the table's maptrack_lock. */
struct grant_mapping *maptrack_entry(struct grant_table *gt,
                                     grant_handle_t handle);
grant_handle_t maptrack_get(struct domain *ld);
void maptrack_put(struct grant_table *gt, grant_handle_t handle);

int grant_mapping_undo(struct domain *ld, struct grant_mapping *m,
                       unsigned int what, bool force);

#endif /* COMMON_GRANT_TABLE_H */
