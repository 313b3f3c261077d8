/* test_trend_order.c — how trend orders its runs: the date in a document's
 * context (libbenchmark's, with its offset) and the git revision in its
 * version (what cmake/version.cmake writes: git describe --always --dirty). */
#include "eb_test.h"
#include "trend_order.h"

#include <string.h>

EB_TEST(dates_with_offsets_are_the_same_instant)
{
    double utc, plus2, minus5, z, frac;
    EB_REQUIRE(eb_parse_date("2026-11-30T09:48:57+00:00", &utc));
    /* 1796032137: date -u -d 2026-11-30T09:48:57 +%s */
    EB_CHECKF(utc == 1796032137.0, "%.0f", utc);
    EB_REQUIRE(eb_parse_date("2026-11-30T11:48:57+02:00", &plus2));
    EB_REQUIRE(eb_parse_date("2026-11-30T04:48:57-0500", &minus5));
    EB_REQUIRE(eb_parse_date("2026-11-30T09:48:57Z", &z));
    EB_CHECK(plus2 == utc && minus5 == utc && z == utc);
    EB_REQUIRE(eb_parse_date("2026-11-30T09:48:57.25Z", &frac));
    EB_CHECK(frac == utc + 0.25);
    double leap;
    EB_REQUIRE(eb_parse_date("2024-03-01T00:00:00+00:00", &leap));
    EB_CHECKF(leap == 1709251200.0, "%.0f", leap); /* after 29 February */
}

EB_TEST(what_is_no_date_is_refused)
{
    double t;
    EB_CHECK(!eb_parse_date("", &t));
    EB_CHECK(!eb_parse_date("yesterday", &t));
    EB_CHECK(!eb_parse_date("2026-13-01T00:00:00+00:00", &t));
    EB_CHECK(!eb_parse_date("2026-11-30T09:48:57+00:00 and more", &t));
    EB_CHECK(!eb_parse_date("2026-11-30", &t));
}

EB_TEST(revision_comes_from_every_form_of_git_describe)
{
    char rev[64];
    EB_CHECK(eb_version_revision("0.1.0 (git 06ff909)", rev, sizeof rev));
    EB_CHECK(strcmp(rev, "06ff909") == 0);
    EB_CHECK(eb_version_revision("0.1.0 (git 06ff909-dirty)", rev, sizeof rev));
    EB_CHECK(strcmp(rev, "06ff909") == 0);
    EB_CHECK(eb_version_revision("0.1.0 (git v0.1.0-12-gabc1234-dirty)", rev, sizeof rev));
    EB_CHECK(strcmp(rev, "abc1234") == 0);
    EB_CHECK(!eb_version_revision("0.1.0 (git unknown)", rev, sizeof rev) && rev[0] == '\0');
    EB_CHECK(!eb_version_revision("", rev, sizeof rev));
    EB_CHECK(!eb_version_revision("0.1.0", rev, sizeof rev));
}

/* Documents in the order of their dates whatever the order given; ties by name. */
EB_TEST(runs_sort_by_date_then_name)
{
    eb_results_doc docs[3] = {0};
    docs[0].path = "c.json", docs[0].date = "2026-11-30T10:00:00+00:00";
    docs[1].path = "b.json", docs[1].date = "2026-11-30T09:00:00+00:00";
    docs[2].path = "a.json", docs[2].date = "2026-11-30T10:00:00+00:00";
    size_t order[3] = {0, 1, 2};
    char why[256];
    EB_REQUIRE(eb_trend_sort(docs, order, 3, EB_TREND_BY_DATE, NULL, why, sizeof why) == 0);
    EB_CHECKF(order[0] == 1 && order[1] == 2 && order[2] == 0, "%zu %zu %zu", order[0], order[1],
              order[2]);
    docs[1].date = "";
    EB_CHECK(eb_trend_sort(docs, order, 3, EB_TREND_BY_DATE, NULL, why, sizeof why) < 0);
    EB_CHECKF(strstr(why, "b.json: context.date '' is no date to order by") != NULL, "%s", why);
    size_t given[3] = {2, 0, 1};
    EB_REQUIRE(eb_trend_sort(docs, given, 3, EB_TREND_AS_GIVEN, NULL, why, sizeof why) == 0);
    EB_CHECK(given[0] == 2 && given[1] == 0 && given[2] == 1);
}
