/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The domU module command line (xen/common/domu-config.c): what is a
 * domU line, the values each option gives, and a one-line reason for
 * every bad line, naming the word at fault.
 */
#include "harness.h"
#include "shim.h"

#include "printf-names.h"
#include <xen/domu.h>
#include <xen/errno.h>

static struct domu_config c;
static char err[128];

static int parse(const char *s)
{
    err[0] = '\0';
    return parse_domu_cmdline(s, &c, err, sizeof(err));
}

TEST(domu_word_must_be_first_and_whole)
{
    CHECK(is_domu_cmdline("domU"));
    CHECK(is_domu_cmdline("domU mem=16M"));
    CHECK(!is_domu_cmdline(""));
    CHECK(!is_domu_cmdline("domUx mem=16M"));
    CHECK(!is_domu_cmdline("domu mem=16M"));
    CHECK(!is_domu_cmdline(" domU mem=16M"));
    CHECK(!is_domu_cmdline("loop domU"));
    CHECK_EQ(parse("loop"), -EINVAL);
    CHECK_STR(err, "not a domU line");
}

TEST(domu_full_line)
{
    CHECK_EQ(parse("domU mem=32M vcpus=2 -- loop only=start  x"), 0);
    CHECK_EQ(c.nr_pages, 8192);
    CHECK_EQ(c.vcpus, 2);
    CHECK_STR(c.cmdline, "loop only=start  x");
}

TEST(domu_defaults_and_no_separator)
{
    CHECK_EQ(parse("domU mem=64k"), 0);
    CHECK_EQ(c.nr_pages, 16);
    CHECK_EQ(c.vcpus, 1);
    CHECK_STR(c.cmdline, "");
    /* "--" with nothing after it: an empty guest command line. */
    CHECK_EQ(parse("domU   vcpus=32   mem=1G  --"), 0);
    CHECK_EQ(c.nr_pages, 262144);
    CHECK_EQ(c.vcpus, 32);
    CHECK_STR(c.cmdline, "");
}

TEST(domu_mem_rounds_up_to_pages)
{
    CHECK_EQ(parse("domU mem=4097"), 0);
    CHECK_EQ(c.nr_pages, 2);
    CHECK_EQ(parse("domU mem=1"), 0);
    CHECK_EQ(c.nr_pages, 1);
}

TEST(domu_option_after_separator_is_the_guests)
{
    CHECK_EQ(parse("domU mem=8M -- vcpus=0 mem=bad"), 0);
    CHECK_EQ(c.vcpus, 1);
    CHECK_EQ(c.nr_pages, 2048);
    CHECK_STR(c.cmdline, "vcpus=0 mem=bad");
}

TEST(domu_bad_sizes)
{
    static const char *const bad[] = {
        "domU mem=", "domU mem=0", "domU mem=0M", "domU mem=16Q",
        "domU mem=16Mx", "domU mem=M", "domU mem=-4M", "domU mem=99999999T",
    };
    unsigned int i;

    for ( i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
    {
        CHECK_EQ(parse(bad[i]), -EINVAL);
        CHECK(!strncmp(err, "bad size in \"mem=", 17) ||
              !strcmp(err, "unknown option \"mem=\" (mem=, vcpus=, then -- "
                           "and the guest's command line)"));
    }
    CHECK_EQ(parse("domU mem=16Q -- x"), -EINVAL);
    CHECK_STR(err, "bad size in \"mem=16Q\"");
}

TEST(domu_bad_vcpus)
{
    CHECK_EQ(parse("domU mem=16M vcpus=0"), -EINVAL);
    CHECK_STR(err, "bad vCPU count in \"vcpus=0\" (1 to 32)");
    CHECK_EQ(parse("domU mem=16M vcpus=33"), -EINVAL);
    CHECK_EQ(parse("domU mem=16M vcpus=2x"), -EINVAL);
    CHECK_EQ(parse("domU mem=16M vcpus=99999"), -EINVAL);
    CHECK_EQ(parse("domU mem=16M vcpus=-1"), -EINVAL);
}

TEST(domu_missing_mem_and_unknown_words)
{
    CHECK_EQ(parse("domU"), -EINVAL);
    CHECK_STR(err, "no mem=<size>");
    CHECK_EQ(parse("domU vcpus=2 -- mem=16M"), -EINVAL);
    CHECK_STR(err, "no mem=<size>");
    CHECK_EQ(parse("domU mem=16M memory=16M"), -EINVAL);
    CHECK_STR(err, "unknown option \"memory=16M\" (mem=, vcpus=, then -- "
                   "and the guest's command line)");
    /* "--" must be a word of its own. */
    CHECK_EQ(parse("domU mem=16M --loop"), -EINVAL);
}

TEST(domu_error_is_cut_to_the_buffer)
{
    char small[8];

    CHECK_EQ(parse_domu_cmdline("domU", &c, small, sizeof(small)), -EINVAL);
    CHECK_STR(small, "no mem=");
}

TEST(domu_initrd_line)
{
    CHECK(is_domu_initrd_cmdline("domU-initrd"));
    CHECK(is_domu_initrd_cmdline("domU-initrd x"));
    CHECK(!is_domu_initrd_cmdline("domU-initrdx"));
    CHECK(!is_domu_initrd_cmdline("domU initrd"));
    CHECK(!is_domu_initrd_cmdline("initrd"));
    /* Neither is the other's: dom0 skips both. */
    CHECK(!is_domu_cmdline("domU-initrd"));
    CHECK(is_domu_module_cmdline("domU-initrd"));
    CHECK(is_domu_module_cmdline("domU mem=16M"));
    CHECK(!is_domu_module_cmdline("initrd"));

    err[0] = '\0';
    CHECK_EQ(parse_domu_initrd_cmdline("domU-initrd  ", err, sizeof(err)), 0);
    CHECK_STR(err, "");
    CHECK_EQ(parse_domu_initrd_cmdline("domU-initrd mem=1M x", err,
                                       sizeof(err)), -EINVAL);
    CHECK_STR(err, "unexpected \"mem=1M\" after domU-initrd (it takes no "
                   "options)");
    CHECK_EQ(parse_domu_initrd_cmdline("domU mem=1M", err, sizeof(err)),
             -EINVAL);
    CHECK_STR(err, "not a domU-initrd line");
}
