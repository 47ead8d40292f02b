/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * elf_xen_parse(): finds where the kernel describes itself (notes, then
 * the legacy section), then applies the defaults and checks Xen's loader
 * applies, in the same order, so that a kernel Xen boots is read the
 * same way here. Contract in xen/libelf.h; the rules in
 * docs/designs/libelf.md.
 */
#include "libelf-private.h"

#define PAGE_BYTES 4096

/* The Xen notes of every PT_NOTE segment; returns how many, or -EINVAL. */
static int notes_from_segments(const struct elf_binary *elf,
                               struct elf_dom_parms *p, const char **why)
{
    unsigned int i;
    int found = 0;

    for ( i = 0; i < elf->phnum; i++ )
    {
        Elf64_Phdr ph;
        int rc;

        elf_phdr(elf, i, &ph);
        /* Some old binutils left p_offset 0 in note segments; Xen skips. */
        if ( ph.p_type != PT_NOTE || !ph.p_offset )
            continue;
        rc = elf_notes_parse(elf, ph.p_offset, ph.p_filesz, p, why);
        if ( rc < 0 )
            return rc;
        found += rc;
    }

    return found;
}

/* The same from SHT_NOTE sections, for images whose segments lack them. */
static int notes_from_sections(const struct elf_binary *elf,
                               struct elf_dom_parms *p, const char **why)
{
    unsigned int i;
    int found = 0;

    for ( i = 1; i < elf->shnum; i++ )
    {
        Elf64_Shdr sh;
        int rc;

        elf_shdr(elf, i, &sh);
        if ( sh.sh_type != SHT_NOTE )
            continue;
        rc = elf_notes_parse(elf, sh.sh_offset, sh.sh_size, p, why);
        if ( rc < 0 )
            return rc;
        found += rc;
    }

    return found;
}

/* Finds and reads whatever describes the kernel. */
static int read_description(const struct elf_binary *elf,
                            struct elf_dom_parms *p, const char **why)
{
    Elf64_Shdr sh;
    int rc;

    rc = notes_from_segments(elf, p, why);
    if ( rc )
        goto notes;

    rc = elf_sections_check(elf, why);
    if ( rc <= 0 )
        goto none;

    rc = notes_from_sections(elf, p, why);
    if ( rc )
        goto notes;

    rc = elf_section_by_name(elf, "__xen_guest", &sh, why);
    if ( rc <= 0 )
        goto none;
    p->legacy = true;
    return elf_guest_info_parse((const char *)elf->image + sh.sh_offset,
                                sh.sh_size, p, why);

 notes:
    if ( rc < 0 )
        return rc;
    p->nr_xen_notes = rc;
    return 0;

 none:
    if ( rc < 0 )
        return rc;
    return elf_fail(why, "not a Xen PV kernel: no Xen ELF notes or "
                         "__xen_guest section");
}

static bool starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* What the kernel must say about itself; Xen compares prefixes only. */
static int check_identity(const struct elf_dom_parms *p, const char **why)
{
    if ( !starts_with(p->loader, "generic") &&
         !starts_with(p->guest_os, "linux") )
        return elf_fail(why, "LOADER is not \"generic\" and GUEST_OS is not "
                             "\"linux\"");
    if ( !p->xen_ver[0] )
        return elf_fail(why, "no XEN_VERSION: the kernel must be built for "
                             "\"xen-3.0\"");
    if ( !starts_with(p->xen_ver, "xen-3.0") )
        return elf_fail(why, "XEN_VERSION is not \"xen-3.0\"");

    return 0;
}

/* Defaults, the kernel's virtual range, and what must lie inside it. */
static int place_kernel(const struct elf_binary *elf, struct elf_dom_parms *p,
                        const char **why)
{
    uint64_t size = elf->pend - elf->pstart;

    if ( elf_note_present(p, XEN_ELFNOTE_PADDR_OFFSET) &&
         !elf_note_present(p, XEN_ELFNOTE_VIRT_BASE) )
        return elf_fail(why, "PADDR_OFFSET given without VIRT_BASE");

    /* An absent VIRT_BASE is already 0. */
    if ( !elf_note_present(p, XEN_ELFNOTE_PADDR_OFFSET) )
        p->elf_paddr_offset = p->legacy ? p->virt_base : 0;
    if ( !elf_note_present(p, XEN_ELFNOTE_ENTRY) )
        p->virt_entry = elf->entry;

    /* Wraps for kernels whose p_paddr is virtual; the sum comes out right. */
    p->virt_offset = p->virt_base - p->elf_paddr_offset;
    p->virt_kstart = elf->pstart + p->virt_offset;
    p->virt_kend = p->virt_kstart + size;

    if ( p->virt_kend < p->virt_kstart )
        return elf_fail(why, "kernel range wraps around the address space");
    if ( p->virt_kstart < p->virt_base )
        return elf_fail(why, "kernel starts below VIRT_BASE");
    if ( p->virt_entry < p->virt_kstart || p->virt_entry >= p->virt_kend )
        return elf_fail(why, "entry point outside the kernel");

    if ( elf_note_present(p, XEN_ELFNOTE_HYPERCALL_PAGE) )
    {
        /* The builder fills exactly one guest page there. */
        if ( p->virt_hypercall % PAGE_BYTES )
            return elf_fail(why, "hypercall page not page-aligned");
        if ( p->virt_hypercall < p->virt_kstart ||
             p->virt_hypercall >= p->virt_kend ||
             p->virt_kend - p->virt_hypercall < PAGE_BYTES )
            return elf_fail(why, "hypercall page outside the kernel");
    }

    if ( elf_note_present(p, XEN_ELFNOTE_INIT_P2M) &&
         p->p2m_base >= p->virt_kstart && p->p2m_base < p->virt_kend )
        return elf_fail(why, "INIT_P2M inside the kernel");

    return 0;
}

int elf_xen_parse(const struct elf_binary *elf, struct elf_dom_parms *p,
                  const char **why)
{
    int rc;

    memset(p, 0, sizeof(*p));

    rc = read_description(elf, p, why);
    if ( !rc )
        rc = check_identity(p, why);
    if ( !rc )
        rc = place_kernel(elf, p, why);

    return rc;
}
