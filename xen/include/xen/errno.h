/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_ERRNO_H
#define XEN_ERRNO_H

/* Values follow Xen's public errno list (which matches Linux on x86). */
#define EPERM   1
#define ENOENT  2
#define ESRCH   3
#define EIO     5
#define ENXIO   6
#define E2BIG   7
#define ENOEXEC 8
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY  16
#define EEXIST 17
#define EINVAL 22
#define ENOSPC 28
#define EDOM   33
#define ERANGE 34
#define ENOSYS 38
#define ETIME  62
#define EOPNOTSUPP 95

#endif /* XEN_ERRNO_H */
