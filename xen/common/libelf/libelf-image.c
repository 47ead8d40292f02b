/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * elf_init(): checks that an image is a 64-bit x86 executable whose
 * program headers and loadable segments lie inside it, so that the rest
 * of libelf can read them without checking again. Contracts in
 * xen/libelf.h.
 */
#include "libelf-private.h"

/* The file header fields every later step trusts. */
static int check_ehdr(const Elf64_Ehdr *eh, const char **why)
{
    if ( eh->e_ident[EI_DATA] != ELFDATA2LSB )
        return elf_fail(why, eh->e_ident[EI_DATA] == ELFDATA2MSB
                        ? "big-endian ELF: only little-endian x86-64 is "
                          "supported"
                        : "unknown ELF data encoding");
    if ( eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT )
        return elf_fail(why, "unknown ELF version");
    if ( eh->e_machine != EM_X86_64 )
        return elf_fail(why, "not an x86-64 ELF (e_machine is not "
                             "EM_X86_64)");
    if ( eh->e_type == ET_DYN )
        return elf_fail(why, "position-independent ELF (ET_DYN): the "
                             "kernel must be linked as ET_EXEC");
    if ( eh->e_type != ET_EXEC )
        return elf_fail(why, "not an executable ELF (e_type is not "
                             "ET_EXEC)");
    if ( eh->e_phnum == 0 )
        return elf_fail(why, "ELF has no program headers");
    /* Only needed beyond 65534 headers, which no kernel has. */
    if ( eh->e_phnum == PN_XNUM )
        return elf_fail(why, "extended program header numbering is not "
                             "supported");
    if ( eh->e_phentsize != sizeof(Elf64_Phdr) )
        return elf_fail(why, "ELF program header size is not 56");

    return 0;
}

/* One loadable segment: inside the image, and its addresses not wrapping. */
static int check_load(const struct elf_binary *elf, const Elf64_Phdr *ph,
                      const char **why)
{
    if ( !elf_range_ok(elf, ph->p_offset, ph->p_filesz) )
        return elf_fail(why, "PT_LOAD segment outside the image");
    if ( ph->p_filesz > ph->p_memsz )
        return elf_fail(why, "PT_LOAD segment has p_filesz > p_memsz");
    if ( ph->p_paddr + ph->p_memsz < ph->p_paddr )
        return elf_fail(why, "PT_LOAD segment wraps around the address "
                             "space");

    return 0;
}

int elf_init(struct elf_binary *elf, const void *image, size_t size,
             const char **why)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    unsigned int i;
    int rc;

    memset(elf, 0, sizeof(*elf));
    elf->image = image;
    elf->size = size;

    /* Magic and class first: they decide how much header there is. */
    if ( size < EI_NIDENT || memcmp(image, ELFMAG, SELFMAG) )
        return elf_fail(why, "not an ELF image");
    if ( elf->image[EI_CLASS] == ELFCLASS32 )
        return elf_fail(why, "32-bit ELF: only 64-bit PV guests are "
                             "supported");
    if ( elf->image[EI_CLASS] != ELFCLASS64 )
        return elf_fail(why, "unknown ELF class");
    if ( size < sizeof(eh) )
        return elf_fail(why, "ELF header truncated");

    memcpy(&eh, image, sizeof(eh));
    rc = check_ehdr(&eh, why);
    if ( rc )
        return rc;

    if ( !elf_range_ok(elf, eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(ph)) )
        return elf_fail(why, "ELF program headers outside the image");

    elf->entry = eh.e_entry;
    elf->phoff = eh.e_phoff;
    elf->phnum = eh.e_phnum;
    elf->shoff = eh.e_shoff;
    elf->shnum = eh.e_shnum;
    elf->shstrndx = eh.e_shstrndx;
    elf->pstart = UINT64_MAX;

    for ( i = 0; i < elf->phnum; i++ )
    {
        elf_phdr(elf, i, &ph);
        if ( !elf_phdr_loadable(&ph) )
            continue;

        rc = check_load(elf, &ph, why);
        if ( rc )
            return rc;

        if ( ph.p_paddr < elf->pstart )
            elf->pstart = ph.p_paddr;
        if ( ph.p_paddr + ph.p_memsz > elf->pend )
            elf->pend = ph.p_paddr + ph.p_memsz;
        elf->nr_load++;
    }

    if ( !elf->nr_load )
        return elf_fail(why, "ELF has no loadable segment");

    return 0;
}
