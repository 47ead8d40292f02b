/* SPDX-License-Identifier: MIT */
#ifndef __XEN_PUBLIC_IO_CONSOLE_H__
#define __XEN_PUBLIC_IO_CONSOLE_H__

/*
 * A PV console ring (start_info.console.domU): one page shared by the
 * guest and its console backend. Indexes run freely and are reduced
 * modulo the ring's size (a power of two) on use; the guest produces
 * "out" and consumes "in".
 */
#include "../xen.h"

typedef uint32_t XENCONS_RING_IDX;

#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];
    char out[2048];
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};

#endif /* __XEN_PUBLIC_IO_CONSOLE_H__ */
