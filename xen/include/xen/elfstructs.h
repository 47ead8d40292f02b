/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ELF-64 file format, as far as the dom0 kernel loader reads it: the
 * file header, program and section headers and note headers, with the
 * field values it checks. Layouts are those of the ELF-64 object file
 * format specification (all fields naturally aligned, no padding).
 *
 * An image in memory need not be aligned: read these structures with
 * memcpy() into a local copy, never through a cast pointer.
 */
#ifndef XEN_ELFSTRUCTS_H
#define XEN_ELFSTRUCTS_H

#include <xen/types.h>

typedef uint64_t Elf64_Addr;
typedef uint64_t Elf64_Off;
typedef uint16_t Elf64_Half;
typedef uint32_t Elf64_Word;
typedef uint64_t Elf64_Xword;

/* e_ident[] */
#define EI_NIDENT     16
#define EI_MAG0        0
#define EI_CLASS       4
#define EI_DATA        5
#define EI_VERSION     6
#define ELFMAG        "\177ELF"
#define SELFMAG        4
#define ELFCLASS32     1
#define ELFCLASS64     2
#define ELFDATA2LSB    1
#define ELFDATA2MSB    2
#define EV_CURRENT     1

/* e_type */
#define ET_REL         1
#define ET_EXEC        2
#define ET_DYN         3

/* e_machine */
#define EM_386         3
#define EM_X86_64     62

typedef struct {
    unsigned char e_ident[EI_NIDENT];
    Elf64_Half e_type;
    Elf64_Half e_machine;
    Elf64_Word e_version;
    Elf64_Addr e_entry;
    Elf64_Off e_phoff;
    Elf64_Off e_shoff;
    Elf64_Word e_flags;
    Elf64_Half e_ehsize;
    Elf64_Half e_phentsize;
    Elf64_Half e_phnum;
    Elf64_Half e_shentsize;
    Elf64_Half e_shnum;
    Elf64_Half e_shstrndx;
} Elf64_Ehdr;

/* e_phnum value meaning "the real count is in section 0's sh_info". */
#define PN_XNUM       0xffff

/* p_type */
#define PT_NULL        0
#define PT_LOAD        1
#define PT_NOTE        4

/* p_flags */
#define PF_X           1
#define PF_W           2
#define PF_R           4

typedef struct {
    Elf64_Word p_type;
    Elf64_Word p_flags;
    Elf64_Off p_offset;
    Elf64_Addr p_vaddr;
    Elf64_Addr p_paddr;
    Elf64_Xword p_filesz;
    Elf64_Xword p_memsz;
    Elf64_Xword p_align;
} Elf64_Phdr;

/* Special section indices. */
#define SHN_UNDEF      0
#define SHN_LORESERVE  0xff00
#define SHN_XINDEX     0xffff

/* sh_type */
#define SHT_NULL       0
#define SHT_PROGBITS   1
#define SHT_STRTAB     3
#define SHT_NOTE       7
#define SHT_NOBITS     8

typedef struct {
    Elf64_Word sh_name;
    Elf64_Word sh_type;
    Elf64_Xword sh_flags;
    Elf64_Addr sh_addr;
    Elf64_Off sh_offset;
    Elf64_Xword sh_size;
    Elf64_Word sh_link;
    Elf64_Word sh_info;
    Elf64_Xword sh_addralign;
    Elf64_Xword sh_entsize;
} Elf64_Shdr;

/*
 * A note: this header, then namesz bytes of name and descsz bytes of
 * desc, each padded to a multiple of 4 bytes (also in ELF-64 files, as
 * every x86-64 toolchain and Xen lay them out).
 */
typedef struct {
    Elf64_Word n_namesz;
    Elf64_Word n_descsz;
    Elf64_Word n_type;
} Elf64_Nhdr;

#endif /* XEN_ELFSTRUCTS_H */
