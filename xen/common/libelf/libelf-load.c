/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * elf_load(): hands every loadable segment to the caller's callbacks,
 * which own the destination memory. Contract in xen/libelf.h.
 */
#include "libelf-private.h"

int elf_load(const struct elf_binary *elf, const struct elf_dom_parms *p,
             int (*write)(void *ctx, uint64_t vaddr, const void *src,
                          size_t len),
             int (*clear)(void *ctx, uint64_t vaddr, size_t len),
             void *ctx)
{
    Elf64_Phdr ph;
    unsigned int i;
    int rc;

    for ( i = 0; i < elf->phnum; i++ )
    {
        uint64_t dest;

        elf_phdr(elf, i, &ph);
        if ( !elf_phdr_loadable(&ph) )
            continue;

        /* elf_init() checked the file range and filesz <= memsz. */
        dest = ph.p_paddr + p->virt_offset;
        if ( ph.p_filesz )
        {
            rc = write(ctx, dest, elf->image + ph.p_offset, ph.p_filesz);
            if ( rc )
                return rc;
        }
        if ( ph.p_memsz > ph.p_filesz )
        {
            rc = clear(ctx, dest + ph.p_filesz, ph.p_memsz - ph.p_filesz);
            if ( rc )
                return rc;
        }
    }

    return 0;
}
