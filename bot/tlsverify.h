/*
 * tlsverify: checks a server's certificate chain and host name with
 * GnuTLS, because Debian's libetpan accepts any certificate.
 */
#ifndef REFBOT_TLSVERIFY_H
#define REFBOT_TLSVERIFY_H

#include <stddef.h>

struct der_cert {
	const unsigned char *data;
	size_t len;
};

/*
 * Verifies chain[0..n) (leaf first) for host against ca_file (PEM), or
 * the system trust store when ca_file is NULL.  Returns 0 when valid, -1
 * with *errstr saying why (caller frees).
 */
int tls_verify_chain(const struct der_cert *chain, size_t n,
    const char *host, const char *ca_file, char **errstr);

#endif
