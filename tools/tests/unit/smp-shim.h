/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SMP_SHIM_H
#define SMP_SHIM_H
/* Locks held now, and shootdowns asked for (smp-shim.c). */
extern unsigned long shim_locks_held, shim_tlb_flushes;
#endif
