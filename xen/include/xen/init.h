/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_INIT_H
#define XEN_INIT_H

#include <xen/compiler.h>

/*
 * Code and data used only while booting. They are kept in their own
 * sections so that a later milestone can free them; for now they stay.
 */
#define __init     __section(".init.text")
#define __initdata __section(".init.data")

#endif /* XEN_INIT_H */
