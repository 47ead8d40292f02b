/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_DOMU_H
#define XEN_DOMU_H

/*
 * Unprivileged PV domains built at boot (Xen's dom0less idea, on x86).
 *
 * A multiboot2 module whose command line starts with the word "domU" is
 * a domU's kernel; the rest of the line says how to build it:
 *
 *     domU mem=<size> [vcpus=<n>] [-- <guest command line>]
 *
 * mem is required (a size as dom0_mem= takes it: K, M, G, T suffixes;
 * rounded up to whole pages), vcpus defaults to 1 and may be at most
 * DOMU_MAX_VCPUS, and everything after the "--" word goes to the guest
 * as its command line (none: an empty one). The domUs are domains 1, 2,
 * ... in module order, whatever became of the ones before them.
 *
 * A domU's initrd is the module right after its kernel, with the line
 *
 *     domU-initrd
 *
 * and nothing else. One that does not follow a domU kernel is refused
 * (and ignored); a bad one costs its domU. dom0 is the first module
 * that is neither, its initrd the second.
 *
 * The parser (xen/common/domu-config.c) is pure: it touches nothing but
 * its arguments, so the host unit test runs it as it is.
 */

#include <xen/types.h>

/* vCPUs a domU may have: those of shared_info's vcpu_info array. */
#define DOMU_MAX_VCPUS 32

struct domu_config {
    unsigned long nr_pages;      /* memory, in 4 KiB pages, > 0 */
    unsigned int vcpus;          /* 1..DOMU_MAX_VCPUS */
    const char *cmdline;         /* into the parsed line; "" if none */
};

/* s is a domU line: its first word is exactly "domU". */
bool is_domu_cmdline(const char *s);

/* s is a domU initrd's line: its first word is exactly "domU-initrd". */
bool is_domu_initrd_cmdline(const char *s);
/*
 * Checks the initrd line s: 0, or -EINVAL with a one-line reason in
 * err[0..len).
 */
int parse_domu_initrd_cmdline(const char *s, char *err, size_t len);

/* Either of the two: a module dom0 is not built from. */
bool is_domu_module_cmdline(const char *s);

/*
 * Parses the domU line s into *c. 0, or -EINVAL with a one-line reason
 * (naming the offending word) in err[0..len).
 */
int parse_domu_cmdline(const char *s, struct domu_config *c, char *err,
                       size_t len);

/*
 * The heap's free pages once settled (xmalloc's spare pages and lazily
 * unmapped ranges given back), and the hypervisor's page-table pages,
 * which mapping a domain's pages may add and which are kept for reuse:
 * a domU's destruction gives back exactly what its life took, so the sum
 * after it equals the sum before it was built (xen/common/shutdown.c).
 */
void heap_settled_counts(unsigned long *free, unsigned long *tables);
/* Keeps the settled counts for dom0's destruction report. */
void heap_note_before_dom0(void);

#endif /* XEN_DOMU_H */
