/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dom0-bench: the workload that bench_dom0.py times inside a Linux dom0.
 *
 * Built on the host with gcc -static (the initramfs has no compiler and
 * no shared libraries) and put into the initramfs beside busybox.
 *
 *   dom0-bench nop              exits 0: what "exec" executes
 *   dom0-bench exec N           N x (fork, execve of this static binary, wait)
 *   dom0-bench mmap N           N x (mmap 64 MiB, write every page, munmap)
 *   dom0-bench par P exec|mmap N   P processes at once, each as above
 *
 * Each timed mode prints one line
 *   DOM0-BENCH <name> <seconds> s ok <done>/<asked>
 * where <done> counts the iterations whose work checked out (the child
 * exited 0; every page read back what was written), so that the caller
 * can tell a fast run from a broken one. The clock is CLOCK_MONOTONIC,
 * which a PV guest gets from the hypervisor's time info like any other.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MMAP_BYTES (64UL << 20)
#define PAGE 4096UL

/* This binary's path, which the exec workload runs ("nop"). */
static char self[PATH_MAX];

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Returns how many of n fork+exec+wait rounds ended with status 0. */
static unsigned long do_exec(unsigned long n)
{
    unsigned long i, ok = 0;

    for ( i = 0; i < n; i++ )
    {
        int status;
        pid_t pid = fork();

        if ( pid < 0 )
            continue;
        if ( pid == 0 )
        {
            execl(self, self, "nop", (char *)NULL);
            _exit(127);
        }
        if ( waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
             WEXITSTATUS(status) == 0 )
            ok++;
    }
    return ok;
}

/*
 * Returns how many of n rounds mapped, and read back from every page the
 * word written there. The value differs per page and per round, so that
 * a page shared by mistake, or left over from the last round, shows.
 */
static unsigned long do_mmap(unsigned long n)
{
    unsigned long i, off, ok = 0;

    for ( i = 0; i < n; i++ )
    {
        unsigned long bad = 0;
        unsigned long *p = mmap(NULL, MMAP_BYTES, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if ( p == MAP_FAILED )
            continue;
        for ( off = 0; off < MMAP_BYTES; off += PAGE )
            p[off / sizeof(*p)] = off ^ (i << 40);
        for ( off = 0; off < MMAP_BYTES; off += PAGE )
            bad += p[off / sizeof(*p)] != (off ^ (i << 40));
        if ( munmap(p, MMAP_BYTES) == 0 && bad == 0 )
            ok++;
    }
    return ok;
}

static unsigned long run(const char *what, unsigned long n)
{
    if ( strcmp(what, "exec") == 0 )
        return do_exec(n);
    if ( strcmp(what, "mmap") == 0 )
        return do_mmap(n);
    fprintf(stderr, "dom0-bench: unknown workload %s\n", what);
    exit(2);
}

/*
 * P workers run n rounds each; a worker's exit status says whether all
 * of its rounds checked out, so the total is counted in whole workers.
 */
static unsigned long run_parallel(unsigned long p, const char *what,
                                  unsigned long n)
{
    unsigned long i, ok = 0;
    int status;
    pid_t pid;

    for ( i = 0; i < p; i++ )
    {
        pid = fork();
        if ( pid == 0 )
            _exit(run(what, n) == n ? 0 : 1);
    }
    while ( (pid = wait(&status)) > 0 )
        if ( WIFEXITED(status) && WEXITSTATUS(status) == 0 )
            ok += n;
    return ok;
}

int main(int argc, char **argv)
{
    unsigned long n, p = 1, done;
    const char *what;
    char name[32];
    double t;

    if ( argc == 2 && strcmp(argv[1], "nop") == 0 )
        return 0;
    if ( argc == 3 )
    {
        what = argv[1];
        n = strtoul(argv[2], NULL, 0);
    }
    else if ( argc == 5 && strcmp(argv[1], "par") == 0 )
    {
        p = strtoul(argv[2], NULL, 0);
        what = argv[3];
        n = strtoul(argv[4], NULL, 0);
    }
    else
    {
        fprintf(stderr, "usage: dom0-bench nop | exec N | mmap N | "
                        "par P exec|mmap N\n");
        return 2;
    }

    /* Read once, so that each exec opens a plain path, not /proc. */
    if ( readlink("/proc/self/exe", self, sizeof(self) - 1) <= 0 )
    {
        perror("dom0-bench: /proc/self/exe");
        return 2;
    }

    t = now();
    done = p > 1 ? run_parallel(p, what, n) : run(what, n);
    t = now() - t;

    if ( p > 1 )
        snprintf(name, sizeof(name), "%s-x%lu", what, p);
    else
        snprintf(name, sizeof(name), "%s", what);
    printf("DOM0-BENCH %s %.3f s ok %lu/%lu\n", name, t, done, p * n);
    return done == p * n ? 0 : 1;
}
