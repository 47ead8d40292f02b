/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_MM_AUDIT_H
#define ASM_X86_MM_AUDIT_H

/*
 * The mapping audit (xen/arch/x86/mm/audit.c): a walk of every page-table
 * root a CPU can load, checking each mapping against the truth of the
 * region it lies in, and a census of what is mapped. The rules are at the
 * top of audit.c.
 *
 * mm_audit_run() is the whole audit, with nothing printed, so that
 * self-tests can plant a stray mapping and read what the audit said about
 * it. It reads the page tables and the allocators' state without holding
 * their locks across the walk: run it with the machine at rest (the
 * other CPUs idle), or the answer may describe a moment that never was.
 * Any CPU, not from interrupt context; it holds up to four mapcache
 * slots of its own CPU while it runs.
 */
#include <asm/mm.h>

/* Where a mapping lies; RAM frames are counted per class. */
enum mm_audit_class {
    MA_IMAGE, MA_FRAMETABLE, MA_TRACKING, MA_XENHEAP, MA_VMAP, MA_MAPCACHE,
    MA_DIRECTMAP, MA_BOOTMAP, MA_TRAMPOLINE, MA_M2P, MA_VCPUINFO, MA_OTHER,
    MA_NR
};

/* Why a mapping is unexpected. */
enum mm_audit_reason {
    MAR_OUTSIDE,           /* in no region that maps anything */
    MAR_IMAGE,             /* not the image's own frame at its offset */
    MAR_EXEC,              /* executable outside the image's text */
    MAR_FRAMETABLE_HOLE,   /* frame table outside its populated chunks */
    MAR_TRACKING_HOLE,     /* tracking array outside its populated pages */
    MAR_M2P_HOLE,          /* M2P outside the table pages it made */
    MAR_NOT_OWN_FRAME,     /* frame table, tracking or vmap bitmap backed by
                              a frame that is free, xenheap or not RAM */
    MAR_NOT_XENHEAP,       /* xenheap region maps a non-xenheap frame */
    MAR_XENHEAP_ELSEWHERE, /* a xenheap page whose page_to_virt() differs */
    MAR_VMAP_FREE,         /* vmap address in no allocation */
    MAR_VMAP_UNMAPPED,     /* vunmap()ed range still mapped */
    MAR_VMAP_HEAD,         /* reserved head past the backed bitmap pages */
    MAR_MAPCACHE_IDLE,     /* mapcache slot its CPU does not have in use */
    MAR_DIRECTMAP,         /* direct map: not RAM at its own offset below
                              the direct map's end */
    MAR_BOOTMAP_IDLE,      /* bootmap slot not in use */
    MAR_BOOTMAP_RAM,       /* RAM in the bootmap window */
    MAR_TRAMPOLINE,        /* trampoline lower half maps more than its code */
    MAR_FREE,              /* a free heap frame */
    MAR_TABLE_XENHEAP,     /* a page-table page from the xenheap */
    MAR_TABLE_FREE,        /* a page-table page the heap thinks is free */
    MAR_ROOT_MISMATCH,     /* a root's upper-half L4 entry is not idle's */
    MAR_NR
};

/* One unexpected mapping: the page at va maps frame mfn (or, for table
 * findings, the table at mfn covers va). */
struct mm_audit_finding {
    const char *root;            /* "idle" or "trampoline" */
    unsigned long va;
    mfn_t mfn;
    enum mm_audit_reason reason;
};

#define MM_AUDIT_NAMED 4

struct mm_audit {
    unsigned long ram[MA_NR];    /* RAM pages mapped, by class */
    unsigned long nonram;        /* pages mapping anything else (MMIO...) */
    /*
     * Outside the direct map and the mapcache (whose slots in use are
     * hypercalls in flight): mappings of frames a guest owns (its own
     * memory), and of xenheap pages shared with a guest (shared_info).
     */
    unsigned long guest;
    unsigned long shared;
    unsigned long tables;        /* page-table pages walked, roots included */
    unsigned int roots;          /* roots walked */
    unsigned long free_mapped;   /* findings of MAR_FREE */
    /*
     * Findings: one per page for the placement and frame rules, one per
     * leaf for the NX rule, one per table page for the table rules.
     */
    unsigned long unexpected;
    unsigned int named;          /* the first min(unexpected, MM_AUDIT_NAMED) */
    struct mm_audit_finding finding[MM_AUDIT_NAMED];
};

void mm_audit_run(struct mm_audit *a);

/* The census line (ending "unexpected=<n>"), then the named findings. */
void mm_audit_print(const struct mm_audit *a);

const char *mm_audit_reason_name(enum mm_audit_reason r);

#endif /* ASM_X86_MM_AUDIT_H */
