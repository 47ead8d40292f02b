/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_BENCH_H
#define ASM_X86_BENCH_H

#include <xen/types.h>

/* "bench" was given: time the mm operations (bench.c), then power off. */
extern bool opt_bench;
void bench_run(void);

#endif /* ASM_X86_BENCH_H */
