/*
 * normalize: the keys that tell whether two referrals are about the same
 * client — a company name with case, width, punctuation and legal forms
 * (Inc., Ltd., 株式会社, ...) ignored, and an email's domain unless it is
 * a free-mail provider.  Pure.
 */
#ifndef REFBOT_NORMALIZE_H
#define REFBOT_NORMALIZE_H

/* "株式会社 サンプル" and "ｻﾝﾌﾟﾙ Co., Ltd." style names to one key.  Caller frees. */
char *normalize_company(const char *name);

/* The lowercased domain of an address, or NULL for free-mail and junk. */
char *normalize_domain(const char *email);

#endif
