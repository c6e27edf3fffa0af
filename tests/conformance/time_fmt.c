/*
 * <time.h> broken-down time and formatting: gmtime/localtime (and _r), mktime's normalisation
 * and EOVERFLOW, the TZ rules tzset reads, asctime/ctime (and _r), strftime's every conversion
 * in the POSIX locale, time and difftime. Expected values are worked out from the standard's
 * formulas (XBD 4.16 seconds since the Epoch), not from a libc.
 */
#include "conform.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define T0 1709647629 /* 2024-03-05 14:07:09 UTC, a Tuesday */

static const struct {
    const char *fmt, *want;
} fmts[] = {
    { "%a", "Tue" }, { "%A", "Tuesday" }, { "%b", "Mar" }, { "%B", "March" },
    { "%c", "Tue Mar  5 14:07:09 2024" }, { "%C", "20" }, { "%d", "05" }, { "%D", "03/05/24" },
    { "%e", " 5" }, { "%F", "2024-03-05" }, { "%g", "24" }, { "%G", "2024" }, { "%h", "Mar" },
    { "%H", "14" }, { "%I", "02" }, { "%j", "065" }, { "%m", "03" }, { "%M", "07" },
    { "%n", "\n" }, { "%p", "PM" }, { "%r", "02:07:09 PM" }, { "%R", "14:07" }, { "%S", "09" },
    { "%t", "\t" }, { "%T", "14:07:09" }, { "%u", "2" }, { "%U", "09" }, { "%V", "10" },
    { "%w", "2" }, { "%W", "10" }, { "%x", "03/05/24" }, { "%X", "14:07:09" }, { "%y", "24" },
    { "%Y", "2024" }, { "%z", "+0000" }, { "%%", "%" }, { "%Ey", "24" }, { "%Od", "05" },
};

static int is_tm(const struct tm *t, int y, int mo, int d, int h, int mi, int s, int wd, int yd)
{
    return t && t->tm_year == y - 1900 && t->tm_mon == mo - 1 && t->tm_mday == d &&
           t->tm_hour == h && t->tm_min == mi && t->tm_sec == s && t->tm_wday == wd &&
           t->tm_yday == yd;
}

int main(void)
{
    char buf[128], what[96];
    time_t t = 0;
    struct tm tm, *p;

    setenv("TZ", "UTC0", 1);
    tzset();
    CHECK(is_tm(gmtime(&t), 1970, 1, 1, 0, 0, 0, 4, 0), "gmtime: the Epoch is Thursday 1970-01-01 00:00:00");
    t = T0;
    CHECK(is_tm(gmtime(&t), 2024, 3, 5, 14, 7, 9, 2, 64), "gmtime: 2024-03-05 14:07:09, day 64 of a leap year");
    t = 951782400;
    CHECK(is_tm(gmtime(&t), 2000, 2, 29, 0, 0, 0, 2, 59), "gmtime: 2000-02-29 (a leap year by the 400 rule)");
    t = 4107542400LL;
    CHECK(is_tm(gmtime(&t), 2100, 3, 1, 0, 0, 0, 1, 59), "gmtime: 2100 is not a leap year");
    t = -1;
    CHECK(is_tm(gmtime(&t), 1969, 12, 31, 23, 59, 59, 3, 364), "gmtime: one second before the Epoch");
    t = 2147483648LL;
    CHECK(is_tm(gmtime(&t), 2038, 1, 19, 3, 14, 8, 2, 18), "gmtime: past 2038-01-19 (64-bit time_t)");
    t = T0;
    CHECK(gmtime_r(&t, &tm) == &tm && is_tm(&tm, 2024, 3, 5, 14, 7, 9, 2, 64), "gmtime_r: fills the caller's tm");
    t = (time_t)LLONG_MAX;
    errno = 0;
    CHECK(gmtime(&t) == NULL && errno == EOVERFLOW, "gmtime: a year past INT_MAX: NULL and EOVERFLOW");
    errno = 0;
    CHECK(gmtime_r(&t, &tm) == NULL && errno == EOVERFLOW, "gmtime_r: a year past INT_MAX: NULL and EOVERFLOW");
    t = T0;
    CHECK(is_tm(localtime(&t), 2024, 3, 5, 14, 7, 9, 2, 64), "localtime: TZ=UTC0 is UTC");
    CHECK(localtime_r(&t, &tm) == &tm && is_tm(&tm, 2024, 3, 5, 14, 7, 9, 2, 64), "localtime_r: fills the caller's tm");

    setenv("TZ", "EST5", 1);
    tzset();
    CHECK(!strcmp(tzname[0], "EST"), "tzset: tzname[0] from TZ's standard name");
    t = 0;
    CHECK(is_tm(localtime(&t), 1969, 12, 31, 19, 0, 0, 3, 364), "localtime: TZ=EST5 is five hours west");
    memset(&tm, 0, sizeof tm);
    tm.tm_year = 70;
    tm.tm_mday = 1;
    tm.tm_isdst = 0;
    CHECK(mktime(&tm) == 5 * 3600, "mktime: local midnight 1970-01-01 in EST5 is 18000 s");
    setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
    tzset();
    CHECK(!strcmp(tzname[0], "EST") && !strcmp(tzname[1], "EDT"), "tzname: standard and daylight names");
    t = 1720000000; /* 2024-07-03, summer */
    p = localtime(&t);
    CHECK(p && p->tm_isdst > 0 && p->tm_hour == (int)((t % 86400) / 3600 + 24 - 4) % 24,
          "localtime: daylight time by the TZ rule (UTC-4 in July)");
    t = 1705000000; /* January */
    p = localtime(&t);
    CHECK(p && p->tm_isdst == 0, "localtime: standard time in January");
    setenv("TZ", "UTC0", 1);
    tzset();

    memset(&tm, 0, sizeof tm);
    tm.tm_year = 124;
    tm.tm_mon = 2;
    tm.tm_mday = 5;
    tm.tm_hour = 14;
    tm.tm_min = 7;
    tm.tm_sec = 9;
    tm.tm_wday = 6;
    tm.tm_yday = 1;
    CHECK(mktime(&tm) == T0, "mktime: the inverse of gmtime in UTC");
    CHECK(tm.tm_wday == 2 && tm.tm_yday == 64, "mktime: sets tm_wday and tm_yday, ignoring their input");
    memset(&tm, 0, sizeof tm);
    tm.tm_year = 124;
    tm.tm_mon = 0;
    tm.tm_mday = 32;
    tm.tm_hour = 25;
    CHECK(mktime(&tm) != (time_t)-1 && tm.tm_mon == 1 && tm.tm_mday == 2 && tm.tm_hour == 1,
          "mktime: normalises out-of-range fields (Jan 32 25:00 is Feb 2 01:00)");
    memset(&tm, 0, sizeof tm);
    tm.tm_year = 124;
    tm.tm_mon = 2;
    tm.tm_mday = 1;
    tm.tm_sec = -1;
    CHECK(mktime(&tm) != (time_t)-1 && tm.tm_mon == 1 && tm.tm_mday == 29 && tm.tm_sec == 59,
          "mktime: negative seconds borrow from the day before (Feb 29 of a leap year)");
    memset(&tm, 0, sizeof tm);
    tm.tm_year = 124;
    tm.tm_mon = 14;
    tm.tm_mday = 1;
    CHECK(mktime(&tm) != (time_t)-1 && tm.tm_year == 125 && tm.tm_mon == 2, "mktime: months past 11 carry into years");
    memset(&tm, 0, sizeof tm);
    tm.tm_year = INT_MAX;
    tm.tm_mon = 11;
    tm.tm_mday = 31;
    tm.tm_hour = 23;
    tm.tm_min = 59;
    tm.tm_sec = 60 * 60 * 24 * 400;
    errno = 0;
    CHECK(mktime(&tm) == (time_t)-1 && errno == EOVERFLOW, "mktime: not representable: -1 and EOVERFLOW");

    t = T0;
    gmtime_r(&t, &tm);
    CHECK(!strcmp(asctime(&tm), "Tue Mar  5 14:07:09 2024\n"), "asctime: the standard's format");
    CHECK(asctime_r(&tm, buf) == buf && !strcmp(buf, "Tue Mar  5 14:07:09 2024\n"), "asctime_r: into the caller's buffer");
    CHECK(!strcmp(ctime(&t), "Tue Mar  5 14:07:09 2024\n"), "ctime: asctime(localtime(t))");
    CHECK(ctime_r(&t, buf) == buf && !strcmp(buf, "Tue Mar  5 14:07:09 2024\n"), "ctime_r: into the caller's buffer");
    t = 0;
    gmtime_r(&t, &tm);
    CHECK(!strcmp(asctime(&tm), "Thu Jan  1 00:00:00 1970\n"), "asctime: the Epoch");

    t = T0;
    gmtime_r(&t, &tm);
    for (unsigned i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        size_t n = strftime(buf, sizeof buf, fmts[i].fmt, &tm);
        snprintf(what, sizeof what, "strftime: %s", fmts[i].fmt[1] == 'n' ? "%n (newline)" :
                 fmts[i].fmt[1] == 't' ? "%t (tab)" : fmts[i].fmt);
        CHECK(n == strlen(fmts[i].want) && !strcmp(buf, fmts[i].want), what);
    }
    CHECK(strftime(buf, 5, "%Y-%m-%d", &tm) == 0, "strftime: result longer than maxsize: 0");
    CHECK(strftime(buf, sizeof buf, "", &tm) == 0 && buf[0] == 0, "strftime: empty format: 0 bytes");
    CHECK(strftime(buf, sizeof buf, "%Z", &tm) > 0, "strftime: %Z gives a zone name");
    {
        struct tm nye = { .tm_year = 118, .tm_mon = 11, .tm_mday = 31, .tm_wday = 1, .tm_yday = 364 };
        CHECK(strftime(buf, sizeof buf, "%G-%V %U %W", &nye) && !strcmp(buf, "2019-01 52 53"),
              "strftime: %G and %V: 2018-12-31 is in ISO week 1 of 2019");
        struct tm ny = { .tm_year = 121, .tm_mon = 0, .tm_mday = 1, .tm_wday = 5, .tm_yday = 0 };
        CHECK(strftime(buf, sizeof buf, "%G-%V %U %W", &ny) && !strcmp(buf, "2020-53 00 00"),
              "strftime: %G and %V: 2021-01-01 is in ISO week 53 of 2020");
        struct tm noon = { .tm_year = 124, .tm_mday = 1, .tm_hour = 12 };
        struct tm midnight = { .tm_year = 124, .tm_mday = 1, .tm_hour = 0 };
        CHECK(strftime(buf, sizeof buf, "%I %p", &noon) && !strcmp(buf, "12 PM"), "strftime: %I %p at noon");
        CHECK(strftime(buf, sizeof buf, "%I %p", &midnight) && !strcmp(buf, "12 AM"), "strftime: %I %p at midnight");
    }
    {
        time_t a = time(NULL), b = 0;
        time_t c = time(&b);
        CHECK(c == b && c >= a, "time: stores the value it returns, never goes back");
    }
    CHECK(difftime((time_t)T0, (time_t)0) == (double)T0, "difftime: t1 - t0 in seconds");
    CHECK(difftime((time_t)0, (time_t)10) == -10.0, "difftime: negative difference");
    CONFORM_DONE();
}
