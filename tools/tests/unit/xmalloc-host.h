/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What xen/common/xmalloc.c needs on the host, instead of asm/mm.h,
 * asm/pg2virt.h and asm/system.h: the lock is a no-op, and the order
 * of a large allocation is kept by test-xmalloc.c.
 */
#ifndef XMALLOC_HOST_H
#define XMALLOC_HOST_H

static inline unsigned long xmalloc_lock(void)
{
    return 0;
}

static inline void xmalloc_unlock(unsigned long flags)
{
    (void)flags;
}

void large_order_set(void *p, unsigned int order);
unsigned int large_order_get(const void *p);

#endif /* XMALLOC_HOST_H */
