/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the libelf files share: bounds-checked access to the image and
 * the parsers elf_xen_parse() combines. Every helper taking an offset
 * into the image checks it with elf_range_ok() or relies on a caller that
 * did, as its comment says.
 */
#ifndef LIBELF_PRIVATE_H
#define LIBELF_PRIVATE_H

#include <xen/elfstructs.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/libelf.h>
#include <xen/string.h>

/* Notes pad their name and desc to 4 bytes; 64-bit arithmetic only. */
#define NOTE_PAD(n) (((uint64_t)(n) + 3) & ~(uint64_t)3)

/* True if [off, off + len) lies inside the image, without wrapping. */
static inline bool elf_range_ok(const struct elf_binary *elf, uint64_t off,
                                uint64_t len)
{
    return off <= elf->size && len <= elf->size - off;
}

/* Program header i (< elf->phnum, whose table elf_init() checked). */
static inline void elf_phdr(const struct elf_binary *elf, unsigned int i,
                            Elf64_Phdr *ph)
{
    memcpy(ph, elf->image + elf->phoff + (uint64_t)i * sizeof(*ph),
           sizeof(*ph));
}

/* Xen's loader skips PT_LOAD segments with no access rights at all. */
static inline bool elf_phdr_loadable(const Elf64_Phdr *ph)
{
    return ph->p_type == PT_LOAD && (ph->p_flags & (PF_R | PF_W | PF_X));
}

/* Sets the reason and returns the error, so that failures are one line. */
static inline int elf_fail(const char **why, const char *reason)
{
    *why = reason;
    return -EINVAL;
}

/* Copies len bytes of text into a field of p, cut to fit, terminated. */
void elf_parm_str(char dst[ELF_PARM_STR_SIZE], const char *src, size_t len);

/*
 * Section headers (libelf-sections.c). elf_sections_check() validates
 * the table once it is needed: 1 if there is one, 0 if the image has
 * none (or no section name table), -EINVAL if it is broken. The other
 * two need a successful check (1) first.
 */
int elf_sections_check(const struct elf_binary *elf, const char **why);
void elf_shdr(const struct elf_binary *elf, unsigned int i, Elf64_Shdr *sh);
/* 1 and *sh if found, 0 if not, -EINVAL for a broken name or section. */
int elf_section_by_name(const struct elf_binary *elf, const char *name,
                        Elf64_Shdr *sh, const char **why);

/*
 * Reads the Xen notes among the notes in [off, off + len) of the image
 * (libelf-notes.c). Returns how many there were, or -EINVAL.
 */
int elf_notes_parse(const struct elf_binary *elf, uint64_t off, uint64_t len,
                    struct elf_dom_parms *p, const char **why);

/*
 * Reads the __xen_guest string of len bytes, ending at its first NUL if
 * any (libelf-guest-info.c). Returns 0 or -EINVAL.
 */
int elf_guest_info_parse(const char *s, size_t len, struct elf_dom_parms *p,
                         const char **why);

/*
 * Adds a FEATURES list of len bytes to p's bitmaps (libelf-features.c).
 * Returns 0, or -EINVAL for a required feature it does not know, named
 * in p->detail.
 */
int elf_features_parse(const char *s, size_t len, struct elf_dom_parms *p,
                       const char **why);

#endif /* LIBELF_PRIVATE_H */
