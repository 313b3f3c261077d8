/* test_err.c — the one error convention (lib/base/err.h): eb_fail returns
 * the code it is given, says why in one line, and takes no buffer. */
#include "eb_test.h"
#include "err.h"

#include <errno.h>

EB_TEST(eb_fail_returns_its_code_and_says_why_in_one_line)
{
    char why[64];
    EB_CHECK(eb_fail(why, sizeof why, -ENOENT, "no %s here\nat all", "file") == -ENOENT);
    EB_CHECKF(strcmp(why, "no file here?at all") == 0, "%s", why);
    /* cut to the buffer, still terminated */
    char small[8];
    EB_CHECK(eb_fail(small, sizeof small, -E2BIG, "%s", "a long reason") == -E2BIG);
    EB_CHECK(strcmp(small, "a long ") == 0);
    /* no buffer: the code alone */
    EB_CHECK(eb_fail(NULL, 0, -EINVAL, "unseen") == -EINVAL);
}

EB_TEST(eb_strerror_reads_a_negative_errno)
{
    EB_CHECK(strcmp(eb_strerror(-ENOENT), strerror(ENOENT)) == 0);
}
