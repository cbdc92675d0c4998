/*
 * Unit tests for workhours: SLA deadlines in wall-clock and business
 * hours, in a zone without daylight saving (Asia/Tokyo) and one with it
 * (Europe/Berlin), and the holidays file.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "workhours.h"

static void
zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* A UTC time as seconds since the epoch. */
static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (int64_t)timegm(&tm);
}

/* Mon-Fri 09:00-18:00 with the shipped Japanese holidays. */
static void
office(struct workhours *w)
{
	char *text, *err = NULL;
	size_t len;

	memset(w, 0, sizeof(*w));
	w->business = 1;
	EXPECT(workhours_days("mon-fri", &w->days) == 0);
	EXPECT(workhours_hours("09:00-18:00", &w->open, &w->close) == 0);
	text = check_slurp("templates/holidays.ja.txt", &len);
	EXPECT(text != NULL);
	if (text != NULL && workhours_holidays(text, len, w, &err) != 0) {
		printf("# %s\n", err);
		check_cur_failed = 1;
		free(err);
	}
	free(text);
}

static void
test_parse(void)
{
	unsigned d;
	int o, c;

	EXPECT(workhours_days("mon-fri", &d) == 0 && d == 0x3e);
	EXPECT(workhours_days("Sun, tue,THU", &d) == 0 && d == 0x15);
	EXPECT(workhours_days("fri-mon", &d) == 0 && d == 0x63);
	EXPECT(workhours_days("mon-", &d) < 0);
	EXPECT(workhours_days("", &d) < 0);
	EXPECT(workhours_days("monday", &d) < 0);
	EXPECT(workhours_hours("09:00-18:00", &o, &c) == 0 && o == 540 &&
	    c == 1080);
	EXPECT(workhours_hours("00:00 - 24:00", &o, &c) == 0 && c == 1440);
	EXPECT(workhours_hours("18:00-09:00", &o, &c) < 0);
	EXPECT(workhours_hours("9:00-18:00", &o, &c) < 0);
	EXPECT(workhours_hours("09:00-24:30", &o, &c) < 0);
}

static void
test_holidays_file(void)
{
	struct workhours w;
	char *err = NULL;
	static const char good[] = "# comment\n\n2027-01-11  # 成人の日\r\n"
	    "  2026-12-31\n2027-01-01#New Year";
	static const char bad[] = "2027-01-01\n# ok\n2027-02-30\n";
	static const char junk[] = "2027-01-01 and more\n";

	memset(&w, 0, sizeof(w));
	EXPECT(workhours_holidays(good, strlen(good), &w, &err) == 0);
	EXPECT(w.nholidays == 3 && w.holidays[0] == 20261231 &&
	    w.holidays[2] == 20270111);
	EXPECT(workhours_holidays(bad, strlen(bad), &w, &err) < 0);
	EXPECT_CONTAINS(err, "3: not a date");
	free(err);
	err = NULL;
	EXPECT(workhours_holidays(junk, strlen(junk), &w, &err) < 0);
	EXPECT_CONTAINS(err, "1: not a date");
	free(err);
	workhours_free(&w);
	office(&w);
	EXPECT(w.nholidays >= 45);	/* three years of them */
	workhours_free(&w);
}

static void
test_tokyo(void)
{
	struct workhours w;

	zone("Asia/Tokyo");
	office(&w);
	/* Friday 2026-12-04 17:00 JST + 24 h: Fri 1, Mon 9, Tue 9, Wed 5. */
	EXPECT(workhours_due(&w, utc(2026, 12, 4, 8, 0), 24 * 3600) ==
	    utc(2026, 12, 9, 5, 0));
	/* Not breached on Sunday: 8 h from Friday 19:00 is Monday 17:00. */
	EXPECT(workhours_due(&w, utc(2026, 12, 4, 10, 0), 8 * 3600) ==
	    utc(2026, 12, 7, 8, 0));
	/* Arriving at night starts counting at 09:00. */
	EXPECT(workhours_due(&w, utc(2026, 12, 7, 13, 0), 3600) ==
	    utc(2026, 12, 8, 1, 0));
	/* Exactly the end of a day: due then, not the next morning. */
	EXPECT(workhours_due(&w, utc(2026, 12, 7, 0, 0), 9 * 3600) ==
	    utc(2026, 12, 7, 9, 0));
	/* Friday 2027-01-08 17:00 + 10 h: Monday the 11th is 成人の日. */
	EXPECT(workhours_due(&w, utc(2027, 1, 8, 8, 0), 10 * 3600) ==
	    utc(2027, 1, 12, 9, 0));
	/* Golden Week 2027: Mon 3 - Wed 5 May are holidays. */
	EXPECT(workhours_due(&w, utc(2027, 4, 30, 8, 0), 2 * 3600) ==
	    utc(2027, 5, 6, 1, 0));
	/* Wall-clock hours ignore all of it. */
	w.business = 0;
	EXPECT(workhours_due(&w, utc(2026, 12, 4, 8, 0), 24 * 3600) ==
	    utc(2026, 12, 5, 8, 0));
	workhours_free(&w);
}

static void
test_berlin_dst(void)
{
	struct workhours w;

	zone("Europe/Berlin");
	memset(&w, 0, sizeof(w));
	w.business = 1;
	EXPECT(workhours_days("mon-fri", &w.days) == 0);
	EXPECT(workhours_hours("09:00-18:00", &w.open, &w.close) == 0);
	/*
	 * Summer time starts on Sunday 2027-03-28.  Friday 17:00 CET
	 * (16:00 UTC) + 2 h: Friday's last hour, then Monday 10:00 CEST,
	 * which is 08:00 UTC.
	 */
	EXPECT(workhours_due(&w, utc(2027, 3, 26, 16, 0), 2 * 3600) ==
	    utc(2027, 3, 29, 8, 0));
	/* And back on 2027-10-31: Friday 17:00 CEST + 2 h is Monday 10:00 CET. */
	EXPECT(workhours_due(&w, utc(2027, 10, 29, 15, 0), 2 * 3600) ==
	    utc(2027, 11, 1, 9, 0));
	/* Every hour a business hour: the short Sunday has 23 of them. */
	EXPECT(workhours_days("mon-sun", &w.days) == 0);
	EXPECT(workhours_hours("00:00-24:00", &w.open, &w.close) == 0);
	EXPECT(workhours_due(&w, utc(2027, 3, 27, 23, 0), 24 * 3600) ==
	    utc(2027, 3, 28, 23, 0));
	workhours_free(&w);
}

int
main(void)
{
	RUN(test_parse);
	RUN(test_holidays_file);
	RUN(test_tokyo);
	RUN(test_berlin_dst);
	return check_done();
}
