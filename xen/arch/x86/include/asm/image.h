/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_IMAGE_H
#define ASM_X86_IMAGE_H

#include <asm/config.h>

/*
 * The hypervisor image's own mapping.
 *
 * head.S maps the image with 2 MiB pages, read-write-execute, because it
 * runs before anything can be finer. image_map_init() replaces that with
 * 4 KiB pages that map exactly [__image_start, __image_end) with the
 * permissions of each part: text read-only and executable; read-only data
 * read-only and no-execute; data and BSS read-write and no-execute.
 * Nothing past the end of the image stays mapped, so no frame the image
 * does not own is reachable through its region. Boot CPU, once, early.
 */
#ifndef __ASSEMBLY__
void image_map_init(void);
#endif

/* The image's size limit that the static L1 tables allow. */
#define IMAGE_MAX_SIZE (_AC(8, UL) << 20)

#endif /* ASM_X86_IMAGE_H */
