/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Section headers, for the two fallbacks that need them (SHT_NOTE
 * sections and __xen_guest). Loading never uses sections, so a kernel
 * whose Xen notes are in a PT_NOTE segment is accepted whatever its
 * section table holds; this file validates the table only on demand.
 */
#include "libelf-private.h"

int elf_sections_check(const struct elf_binary *elf, const char **why)
{
    Elf64_Ehdr eh;
    Elf64_Shdr strtab;

    if ( !elf->shoff || !elf->shnum )
        return 0;

    /* elf_init() checked the whole file header is there. */
    memcpy(&eh, elf->image, sizeof(eh));
    if ( eh.e_shentsize != sizeof(Elf64_Shdr) )
        return elf_fail(why, "ELF section header size is not 64");
    if ( !elf_range_ok(elf, elf->shoff,
                       (uint64_t)elf->shnum * sizeof(Elf64_Shdr)) )
        return elf_fail(why, "ELF section headers outside the image");

    if ( elf->shstrndx == SHN_UNDEF )
        return 0;
    /* This also refuses SHN_XINDEX: no kernel has that many sections. */
    if ( elf->shstrndx >= elf->shnum )
        return elf_fail(why, "ELF section name table index out of range");

    elf_shdr(elf, elf->shstrndx, &strtab);
    if ( strtab.sh_type == SHT_NOBITS ||
         !elf_range_ok(elf, strtab.sh_offset, strtab.sh_size) )
        return elf_fail(why, "ELF section name table outside the image");

    return 1;
}

void elf_shdr(const struct elf_binary *elf, unsigned int i, Elf64_Shdr *sh)
{
    memcpy(sh, elf->image + elf->shoff + (uint64_t)i * sizeof(*sh),
           sizeof(*sh));
}

int elf_section_by_name(const struct elf_binary *elf, const char *name,
                        Elf64_Shdr *sh, const char **why)
{
    size_t want = strlen(name) + 1;     /* with its NUL */
    Elf64_Shdr strtab;
    unsigned int i;

    elf_shdr(elf, elf->shstrndx, &strtab);

    /* Section 0 is the null section and has no name. */
    for ( i = 1; i < elf->shnum; i++ )
    {
        elf_shdr(elf, i, sh);
        if ( sh->sh_name >= strtab.sh_size )
            return elf_fail(why, "ELF section name outside the name table");

        /* The name and its NUL, where the table has that many bytes left. */
        if ( strtab.sh_size - sh->sh_name < want ||
             memcmp(elf->image + strtab.sh_offset + sh->sh_name, name, want) )
            continue;

        if ( sh->sh_type == SHT_NOBITS ||
             !elf_range_ok(elf, sh->sh_offset, sh->sh_size) )
            return elf_fail(why, "ELF section outside the image");
        return 1;
    }

    return 0;
}
