/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_COMMON_VMAP_PRIV_H
#define XEN_COMMON_VMAP_PRIV_H

/*
 * Between the vmap address allocator (vmap.c), the purge list
 * (vmap-purge.c) and the mappings on top of them (vmalloc.c).
 */
#include <xen/types.h>

/*
 * The allocation starting at va is unmapped here: gives it back at once
 * (eager: the caller has flushed every CPU) or queues it for the next
 * purge (lazy).
 */
void vm_release(const void *va);

/* Pages of the allocation starting at ptr, in either region; 0 if none. */
unsigned int vm_alloc_size(const void *ptr);

/* Are ranges waiting in the purge list? */
bool vm_purge_pending(void);

/* Is the allocation starting at start waiting in the purge list? */
bool vm_purge_waiting(const void *start);

#endif /* XEN_COMMON_VMAP_PRIV_H */
