/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The dom0 kernel loader: validates a 64-bit PV kernel held as an ELF
 * image in memory, reads what its Xen ELF notes (or legacy __xen_guest
 * section) say about it, and copies its segments out through callbacks.
 *
 * Invariants:
 * - Nothing here reads outside [image, image + size), whatever the
 *   bytes; every offset + size sum is checked for wrap-around first.
 * - The image is never written, and guest memory is never touched: only
 *   the callbacks given to elf_load() write anywhere.
 * - On failure a function returns -EINVAL and sets *why to a short static
 *   string (no newline) the caller prints as one line; for a few errors
 *   elf_dom_parms.detail names the offending item as well.
 * - Segment addresses are taken from p_paddr, never p_vaddr, as Xen does:
 *   Linux gives its per-CPU segment p_vaddr 0. A PT_LOAD segment counts
 *   only if it has one of PF_R, PF_W or PF_X set (also as Xen does).
 *
 * docs/designs/libelf.md lists what is accepted and every error.
 */
#ifndef XEN_LIBELF_H
#define XEN_LIBELF_H

#include <xen/types.h>
#include <public/elfnote.h>
#include <public/features.h>

/* A validated image; filled by elf_init(), then read-only. */
struct elf_binary {
    const uint8_t *image;
    size_t size;

    uint64_t entry;             /* e_entry */
    uint64_t phoff;             /* e_phoff: phnum headers, inside image */
    unsigned int phnum;
    uint64_t shoff;             /* e_shoff: not validated by elf_init() */
    unsigned int shnum;
    unsigned int shstrndx;

    /*
     * The loadable PT_LOAD segments span [pstart, pend) in p_paddr terms:
     * the lowest p_paddr and the highest p_paddr + p_memsz.
     */
    uint64_t pstart, pend;
    unsigned int nr_load;       /* loadable PT_LOAD segments, at least 1 */
};

/*
 * Validates the image: ELF magic; ELFCLASS64 (a 32-bit ELF has its own
 * reason); little-endian; EV_CURRENT; EM_X86_64; ET_EXEC; program
 * headers of the ELF-64 size, inside the image; at least one loadable
 * PT_LOAD, each with its file bytes inside the image, p_filesz <=
 * p_memsz and p_paddr + p_memsz not wrapping. The image must stay
 * unchanged and mapped while elf is used.
 */
int elf_init(struct elf_binary *elf, const void *image, size_t size,
             const char **why);

/* XEN_PAE_*: the PAE_MODE note, meaningful to 32-bit kernels only. */
enum elf_pae {
    XEN_PAE_NO,
    XEN_PAE_YES,                /* legacy PAE=yes: L3 tables below 4 GiB */
    XEN_PAE_EXTCR3,             /* PAE_MODE "yes", PAE=yes[extended-cr3] */
    XEN_PAE_BIMODAL,            /* PAE_MODE containing "bimodal" */
};

/* Strings from notes are cut to this size less one (Xen cuts at 15). */
#define ELF_PARM_STR_SIZE 32

/* Everything the Xen notes say, with defaults applied and checked. */
struct elf_dom_parms {
    uint64_t virt_base;         /* VIRT_BASE; 0 if absent */
    uint64_t elf_paddr_offset;  /* PADDR_OFFSET; default: see .md */
    uint64_t virt_offset;       /* virt_base - elf_paddr_offset (mod 2^64) */
    uint64_t virt_entry;        /* ENTRY; e_entry if absent */
    uint64_t virt_hypercall;    /* HYPERCALL_PAGE; valid if present */
    uint64_t p2m_base;          /* INIT_P2M; valid if present */
    uint64_t hv_start_low;      /* HV_START_LOW; valid if present */
    uint32_t phys32_entry;      /* PHYS32_ENTRY; valid if present */
    bool mod_start_pfn;         /* MOD_START_PFN non-zero */
    bool suspend_cancel;        /* SUSPEND_CANCEL non-zero */
    bool bsd_symtab;            /* BSD_SYMTAB "yes" (recorded, not acted on) */
    enum elf_pae pae;

    char xen_ver[ELF_PARM_STR_SIZE];
    char guest_os[ELF_PARM_STR_SIZE];
    char guest_ver[ELF_PARM_STR_SIZE];
    char loader[ELF_PARM_STR_SIZE];

    /* Feature bitmaps; required bits are also set in f_supported. */
    uint32_t f_supported[XENFEAT_NR_SUBMAPS];
    uint32_t f_required[XENFEAT_NR_SUBMAPS];

    /*
     * Where the kernel lies in the guest's virtual address space:
     * [pstart, pend) + virt_offset. virt_base <= virt_kstart < virt_kend.
     */
    uint64_t virt_kstart, virt_kend;

    /*
     * Bit n set: XEN_ELFNOTE_n was given, as a note or as the
     * __xen_guest key standing for it. See elf_note_present().
     */
    uint32_t present;
    bool legacy;                /* read from __xen_guest, not from notes */
    unsigned int nr_xen_notes;  /* "Xen" notes read (0 with __xen_guest) */

    /* After a failure: the feature name or key at fault, or "". */
    char detail[ELF_PARM_STR_SIZE];
};

static inline bool elf_note_present(const struct elf_dom_parms *p,
                                    unsigned int type)
{
    return type < 32 && (p->present & (1u << type));
}

/*
 * Reads the Xen notes of every PT_NOTE segment; if there are none, of
 * every SHT_NOTE section; if still none, the legacy __xen_guest section
 * (section headers are validated only when needed). Then applies Xen's
 * defaults and checks (docs/designs/libelf.md): XEN_VERSION "xen-3.0",
 * LOADER "generic" or GUEST_OS "linux", the kernel range, the entry
 * point and hypercall page inside it, INIT_P2M outside it. Unknown note
 * types and non-Xen notes are skipped. *p is fully written either way.
 */
int elf_xen_parse(const struct elf_binary *elf, struct elf_dom_parms *p,
                  const char **why);

/*
 * Copies every loadable PT_LOAD's file bytes to p_paddr + virt_offset
 * with write(), then has clear() zero its p_memsz - p_filesz tail; empty
 * ranges are not passed on. p must come from elf_xen_parse() on the same
 * elf, so every destination lies in [virt_kstart, virt_kend). src points
 * into the image. Returns 0, or the first non-zero callback result
 * (nothing more is written after it).
 */
int elf_load(const struct elf_binary *elf, const struct elf_dom_parms *p,
             int (*write)(void *ctx, uint64_t vaddr, const void *src,
                          size_t len),
             int (*clear)(void *ctx, uint64_t vaddr, size_t len),
             void *ctx);

/*
 * 0 if every feature p requires is in hv_supported (XENFEAT_NR_SUBMAPS
 * words); else -EINVAL with *missing set to the lowest bit it lacks.
 */
int elf_features_check(const struct elf_dom_parms *p,
                       const uint32_t *hv_supported, unsigned int *missing);

/*
 * False if the kernel listed its supported features numerically
 * (SUPPORTED_FEATURES) without XENFEAT_dom0: Xen then refuses it as
 * dom0. A kernel without that note is assumed capable.
 */
bool elf_dom0_capable(const struct elf_dom_parms *p);

/*
 * The name of feature bit (without "XENFEAT_"), or NULL if the bit is
 * not defined. Any defined bit has one, but the FEATURES note accepts
 * only the names Xen's loader knows (docs/designs/libelf.md).
 */
const char *xen_feature_name(unsigned int bit);

#endif /* XEN_LIBELF_H */
