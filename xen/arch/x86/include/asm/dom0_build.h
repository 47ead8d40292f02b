/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_DOM0_BUILD_H
#define ASM_X86_DOM0_BUILD_H

/*
 * Building and starting the boot domains: dom0 and the domUs of the
 * boot modules (xen/arch/x86/pv/dom0_build.c, xen/arch/x86/dom0.c,
 * xen/arch/x86/domu.c).
 */

#include <xen/types.h>

struct domain;
struct boot_module;

/* What construct_pv_domain() builds a domain from. */
struct pv_build_info {
    const struct boot_module *kernel;
    const struct boot_module *initrd;   /* NULL: none */
    const char *cmdline;                /* the guest's, into start_info */
    unsigned long nr_pages;             /* its memory */
};

/*
 * Loads b's kernel (and initrd) into d, which has its vCPUs: memory,
 * page tables, start_info (SIF_PRIVILEGED|SIF_INITDOMAIN if
 * d->is_privileged), vCPU 0's registers. 0, or -errno after printing one
 * line that says why ("dom0 kernel: ..." or "d<id> kernel: ..."); on
 * failure d may hold pages, which domain_kill() gives back.
 */
int construct_pv_domain(struct domain *d, const struct pv_build_info *b);

/*
 * dom0 from the first module that is not a domU, with the second such
 * module as its initrd; its size from dom0_mem=, out of what is free
 * but the kept pages (the domUs', built after it).
 */
int construct_dom0(struct domain *d, unsigned long kept);

/* The n-th boot module that is not a domU (0: dom0's kernel), or NULL. */
const struct boot_module *boot_guest_module(unsigned int n);

/* Pages free for guests now: the heap less the hypervisor's reserve. */
unsigned long guest_pages_available(void);
/* What dom0 must keep whatever the domUs ask: dom0_mem=, 64 MiB least. */
unsigned long dom0_min_pages(void);

/*
 * Creates, builds and starts dom0, then the domUs; halts with a message
 * if dom0 cannot be built. A domU that cannot be built is reported in
 * one line and the machine boots on without it.
 */
void create_dom0(void);

/*
 * The domUs (xen/arch/x86/domu.c): domu_plan() reads every domU line,
 * reports the bad ones and those memory cannot hold, and returns the
 * pages the others will take; domu_create_all() builds and starts them.
 */
unsigned long domu_plan(void);
void domu_create_all(void);

/* Per-vCPU time and the wallclock (xen/arch/x86/pv/time.c). */
struct vcpu;
void pv_update_vcpu_time(struct vcpu *v);
/* This CPU refreshes its running vCPU's time once a second from now on. */
void pv_time_refresh_start(void);
void pv_init_wallclock(struct domain *d);
/* platform_op settime: the wallclock at system time system_time. */
void pv_set_wallclock(uint64_t secs, uint32_t nsecs, uint64_t system_time);

#endif /* ASM_X86_DOM0_BUILD_H */
