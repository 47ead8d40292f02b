/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_CONFIG_H
#define XEN_CONFIG_H

/* Included first in every translation unit by the build. */
#include <generated/autoconf.h>

#ifndef __ASSEMBLY__
/*
 * The image lives at 0xffff82d040000000, outside the +-2 GiB that the
 * kernel code model can address absolutely, so code is built with -fpic
 * and every symbol is hidden: references become RIP-relative and no GOT
 * is needed in a statically linked image.
 */
#pragma GCC visibility push(hidden)
#endif

#endif /* XEN_CONFIG_H */
